import ArgumentParsing
import Foundation
import NativeGenerator

/// The `sgid` entry point: dispatches to subcommands, maps errors to exit codes
/// (0 success, 1 failure, 2 usage error, 128 + N stopped by signal N after cleaning up).
@main
enum SGIDMain {
    static let commands: [any SubCommand.Type] = [
        VersionCommand.self, DecodeCommand.self, AugmentCommand.self, PreviewCommand.self, DemoCommand.self, IndexCommand.self, RunCommand.self,
        ShardsCreateCommand.self, PrecomputeCommand.self, DatasetsImportCommand.self, TrainCommand.self, EvaluateCommand.self,
        CacheInspectCommand.self, CacheVerifyCommand.self, CacheConsistencyCommand.self, CacheExportCommand.self, CacheMergeCommand.self,
        CacheCompactCommand.self, CacheWriteSyntheticCommand.self,
    ]

    static func main() {
        StandardOutput.useLineBuffering()  // keep result lines and stderr progress in order when piped
        NativeGenerator.register()
        exit(run(Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs one command line.
    /// - Parameter arguments: The arguments after the program name.
    /// - Returns: The exit status.
    static func run(_ arguments: [String]) -> Int32 {
        guard let name = arguments.first, !["help", "--help", "-h"].contains(name) else {
            print(overview)
            return arguments.isEmpty ? 2 : 0
        }
        // Commands are one or two words ("decode", "cache verify"); the longest match wins.
        var chosen: (any SubCommand.Type)?
        var words = 0
        for candidate in commands {
            let name = candidate.spec.name.split(separator: " ").map(String.init)
            if name.count > words && arguments.starts(with: name) {
                chosen = candidate
                words = name.count
            }
        }
        guard let command = chosen else {
            let family = commands.map { $0.spec.name }.filter { $0.hasPrefix(name + " ") }
            let hint = family.isEmpty ? overview : "subcommands: " + family.joined(separator: ", ")
            printError("sgid: unknown command '\(arguments.prefix(2).joined(separator: " "))'\n\n\(hint)")
            return 2
        }
        let rest = Array(arguments.dropFirst(words))
        if rest.contains("--help") {
            print(command.spec.usage)
            return 0
        }
        do {
            try command.run(ArgumentParser.parse(rest, spec: command.spec))
            return 0
        } catch let error as StoppedBySignal {
            printError("sgid \(command.spec.name): \(error)")
            return 128 + error.signal
        } catch let error as UsageError {
            printError("sgid \(command.spec.name): \(error)\n\(command.spec.usage)")
            return 2
        } catch {
            printError("sgid \(command.spec.name): \(error)")
            return 1
        }
    }

    static var overview: String {
        var lines = ["usage: sgid COMMAND [ARGUMENTS]", "", "commands:"]
        for command in commands {
            lines.append("  " + command.spec.name + String(repeating: " ", count: max(2, 24 - command.spec.name.count))
                         + command.summary)
        }
        lines.append("")
        lines.append("`sgid COMMAND --help` shows a command's options.")
        return lines.joined(separator: "\n")
    }
}

/// Writes a line to standard error.
/// - Parameter message: The text.
func printError(_ message: String) {
    var standardError = StandardError()
    print(message, to: &standardError)
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
