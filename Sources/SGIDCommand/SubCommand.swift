import ArgumentParsing
import Foundation

/// One `sgid` subcommand: its grammar and what it does.
protocol SubCommand: Sendable {
    /// The grammar (name, synopsis, options, positional count).
    static var spec: CommandSpec { get }
    /// One line for `sgid help`.
    static var summary: String { get }
    /// Runs the command.
    /// - Parameter arguments: The parsed command line.
    /// - Throws: `UsageError` for a bad command line (exit 2), anything else for a failure (exit 1).
    static func run(_ arguments: ParsedArguments) throws
}

/// A failure while running a command: printed as `sgid: <message>` with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    /// What went wrong and where.
    let description: String

    /// Creates a failure.
    /// - Parameter description: What went wrong and where.
    init(_ description: String) { self.description = description }
}

/// A command stopped by a signal (SIGTERM) after cleaning up: printed as `sgid <command>: <description>`, exit
/// status 128 + the signal's number, as a shell reports a process the signal killed.
struct StoppedBySignal: Error, CustomStringConvertible {
    /// The signal (`SIGTERM`).
    let signal: Int32
    /// What was saved before stopping ("committed 12 record(s)").
    let done: String

    /// "stopped by SIGTERM after …".
    var description: String { "stopped by \(signal == SIGTERM ? "SIGTERM" : "signal \(signal)") after it \(done)" }
}
