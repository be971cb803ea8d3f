/// A command line that does not fit the command's grammar. The CLI prints the message with the command's usage and
/// exits with status 2 (the conventional "usage" status).
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the offending argument.
    public let message: String

    /// Creates a usage error.
    /// - Parameter message: What is wrong, naming the offending argument.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
