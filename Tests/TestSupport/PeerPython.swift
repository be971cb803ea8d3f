import Foundation

/// Runs the Python peers (Pillow, webdataset, tarfile, …) that parity tests compare against.
///
/// The interpreter is `$SGID_PYTHON` if set, else the virtual environment `scripts/setup.sh` creates
/// (`$SGID_CACHE` or `~/.cache/sgidkit`, then `venv-peers/bin/python`). Tests fail, never skip, when it is missing:
/// a parity test that silently does not run would be a check that cannot fail.
public enum PeerPython {
    /// The error raised when a peer script fails or the interpreter is missing.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the script's stderr.
        public let description: String

        /// Creates a failure.
        /// - Parameter description: What went wrong.
        public init(description: String) { self.description = description }
    }

    /// The repository root (found from this file's location).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Python interpreter of the peer environment.
    public static var interpreter: String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["SGID_PYTHON"], !explicit.isEmpty { return explicit }
        let cache = environment["SGID_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.cache/sgidkit")
        return cache + "/venv-peers/bin/python"
    }

    /// The heavy environment's interpreter (torch, torchvision, diffusers), made by `scripts/setup-heavy.sh`:
    /// `$SGID_WORKER_PYTHON`, else `venv-heavy` in the cache folder; `nil` when it is not installed.
    public static var heavyInterpreter: String? {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["SGID_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache/sgidkit")
        let path = environment["SGID_WORKER_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? cache + "/venv-heavy/bin/python"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Runs a script from `Tests/Peers/` with the heavy environment (live torchvision) when it is installed, else
    /// with the light one; the script reports which peer it used.
    /// - Parameters:
    ///   - script: File name inside `Tests/Peers/`.
    ///   - arguments: Command-line arguments.
    /// - Returns: Standard output.
    /// - Throws: `Failure` when no interpreter is found or the script fails.
    public static func runPreferringHeavy(_ script: String, _ arguments: [String] = []) throws -> Data {
        guard let heavy = heavyInterpreter else { return try run(script, arguments) }
        let path = repositoryRoot.appendingPathComponent("Tests/Peers/\(script)").path
        return try runProcess(heavy, [path] + arguments)
    }

    /// Runs a script from `Tests/Peers/` and returns its standard output.
    /// - Parameters:
    ///   - script: File name inside `Tests/Peers/`, e.g. `make_codec_corpus.py`.
    ///   - arguments: Command-line arguments.
    ///   - input: Bytes for standard input.
    /// - Returns: Standard output.
    /// - Throws: `Failure` when the interpreter is missing or the script exits non-zero.
    @discardableResult
    public static func run(_ script: String, _ arguments: [String] = [], input: Data? = nil) throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            throw Failure(description: "peer Python not found at \(interpreter); run scripts/setup.sh (or set SGID_PYTHON)")
        }
        let path = repositoryRoot.appendingPathComponent("Tests/Peers/\(script)").path
        return try runProcess(interpreter, [path] + arguments, input: input)
    }

    /// Runs any program and returns its standard output.
    /// - Parameters:
    ///   - executable: Absolute path of the program.
    ///   - arguments: Its arguments.
    ///   - input: Bytes for standard input.
    /// - Returns: Standard output.
    /// - Throws: `Failure` when the program exits non-zero (with its stderr).
    @discardableResult
    public static func runProcess(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Data {
        let run = try ProgramRun.capture(executable, arguments, input: input)
        guard run.status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited with "
                + "\(run.status): \(String(decoding: run.errors, as: UTF8.self))")
        }
        return run.output
    }
}

/// A fresh temporary directory, removed when the value goes away.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The directory.
    public let url: URL

    /// Creates the directory under the system temporary folder.
    /// - Parameter prefix: A prefix for its name.
    public init(prefix: String = "sgid-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    /// - Parameter name: A relative path.
    /// - Returns: The absolute path.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Finds executables the package builds (`sgid`, examples), next to the running test bundle.
public enum BuiltProducts {
    /// The build directory holding the test bundle and the package's executables.
    public static var directory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" && !url.lastPathComponent.hasSuffix(".xctest") { url.deleteLastPathComponent() }
        return url.path == "/" ? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            : url.deletingLastPathComponent()
    }

    /// The path of a built executable product.
    /// - Parameter name: The product name, e.g. `sgid`.
    /// - Returns: Its absolute path.
    public static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

/// The outcome of running a command-line program.
public struct ProgramRun: Sendable {
    /// The exit status.
    public let status: Int32
    /// Standard output as text.
    public let output: String
    /// Standard error as text.
    public let errors: String

    /// Runs a program to completion, capturing both streams (whatever its exit status).
    /// - Parameters:
    ///   - executable: Absolute path.
    ///   - arguments: Its arguments.
    /// - Returns: Status and output.
    /// - Throws: When the program cannot be started.
    public static func run(_ executable: String, _ arguments: [String]) throws -> ProgramRun {
        let run = try capture(executable, arguments, input: nil)
        return ProgramRun(status: run.status, output: String(decoding: run.output, as: UTF8.self),
                          errors: String(decoding: run.errors, as: UTF8.self))
    }

    /// Runs a program with optional standard input, feeding it and draining both output pipes concurrently so a
    /// chatty child never blocks on a full pipe.
    /// - Parameters:
    ///   - executable: Absolute path.
    ///   - arguments: Its arguments.
    ///   - input: Bytes for standard input (`nil`: empty).
    /// - Returns: Exit status and the raw bytes of both streams.
    /// - Throws: When the program cannot be started.
    static func capture(_ executable: String, _ arguments: [String], input: Data?) throws -> (status: Int32, output: Data, errors: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            if let input { stdin.fileHandleForWriting.write(input) }
            try? stdin.fileHandleForWriting.close()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, outputData, errorData)
    }
}
