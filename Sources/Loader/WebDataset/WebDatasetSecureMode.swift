import Foundation

/// Reads `WDS_SECURE`, the environment switch that refuses `pipe:` shards (they run shell commands).
///
/// The peer (webdataset 1.0.2) reads it as `bool(int(value))`: a non-zero integer is on, and any other text stops
/// the import with a `ValueError`. Here the usual spellings of a boolean are accepted as well, and anything else is
/// an error naming the variable and its value: an unrecognised value is never read as off.
///
/// | value (surrounding whitespace ignored, any case) | secure mode |
/// |---|---|
/// | unset, empty, `0`, `false`, `no`, `off` | off |
/// | `1`, `true`, `yes`, `on`, another non-zero integer | on |
/// | anything else | error (`WebDatasetOptions.secureModeFromEnvironment` then reads it as on) |
public enum WebDatasetSecureMode {
    /// The name of the environment variable, `WDS_SECURE`.
    public static let variable = "WDS_SECURE"

    /// Parses a value of `WDS_SECURE`.
    /// - Parameter value: The variable's value, or nil when it is not set.
    /// - Returns: Whether secure mode is on.
    /// - Throws: `LoaderError` of kind `.invalidArgument` naming the variable and the value when it is not one of the
    ///   accepted spellings.
    public static func parse(_ value: String?) throws(LoaderError) -> Bool {
        guard let value else { return false }
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        switch text.lowercased() {
        case "", "0", "false", "no", "off": return false
        case "1", "true", "yes", "on": return true
        default:
            // The peer's reading: any integer, non-zero meaning on (`+2`, `-1`, `007`).
            if let number = Int(text) { return number != 0 }
            throw LoaderError(.invalidArgument, "\(variable)='\(value)' is not a boolean: use 1, true, yes or on to refuse "
                              + "pipe: shards, or 0, false, no, off or nothing to allow them")
        }
    }

    /// Whether the environment asks for secure mode.
    /// - Parameter environment: The variables (default: the process environment).
    /// - Returns: Whether secure mode is on.
    /// - Throws: `LoaderError` of kind `.invalidArgument` when `WDS_SECURE` holds an unrecognised value.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(LoaderError) -> Bool {
        try parse(environment[variable])
    }

    /// The problem with the environment's `WDS_SECURE`, or nil when it is unset or recognised.
    /// - Parameter environment: The variables (default: the process environment).
    /// - Returns: The error `fromEnvironment` throws, or nil.
    static func problem(in environment: [String: String] = ProcessInfo.processInfo.environment) -> LoaderError? {
        do {
            _ = try fromEnvironment(environment)
            return nil
        } catch {
            return error
        }
    }
}
