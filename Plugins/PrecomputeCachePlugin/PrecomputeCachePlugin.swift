import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-directory DIR precompute-cache SOURCE --cache DIR --model M …`: runs
/// `sgid precompute` (built from this package) with the same arguments, so a user can fill an SGID cache without
/// installing the tool.
@main
struct PrecomputeCachePlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "SGIDCommand")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = ["precompute"] + arguments
        var environment = ProcessInfo.processInfo.environment
        if environment["SGID_WORKER_SCRIPT"] == nil {
            environment["SGID_WORKER_SCRIPT"] = context.package.directoryURL
                .appendingPathComponent("Workers/diffusers/sgid_worker.py").path
        }
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Diagnostics.error("sgid precompute exited with status \(process.terminationStatus)")
            throw PluginFailure(status: process.terminationStatus)
        }
    }
}

/// The plugin's failure: `sgid precompute` exited with an error.
struct PluginFailure: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "sgid precompute exited with status \(status)" }
}
