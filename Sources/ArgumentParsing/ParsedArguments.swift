/// The result of parsing: positional arguments in order, option values by name, and flags.
public struct ParsedArguments: Sendable, Equatable {
    /// Positional arguments in the order given.
    public var positionals: [String]
    /// Values of options that take one, in the order given, by option name.
    public var values: [String: [String]]
    /// Names of the flags given.
    public var flags: Set<String>

    /// Creates a parse result.
    /// - Parameters:
    ///   - positionals: Positional arguments.
    ///   - values: Option values by name.
    ///   - flags: Flags given.
    public init(positionals: [String] = [], values: [String: [String]] = [:], flags: Set<String> = []) {
        self.positionals = positionals
        self.values = values
        self.flags = flags
    }

    /// The last value given for an option.
    /// - Parameter name: The option's name without dashes.
    /// - Returns: The value, or `nil` if the option was not given.
    public func value(_ name: String) -> String? { values[name]?.last }

    /// Whether a flag was given.
    /// - Parameter name: The flag's name without dashes.
    /// - Returns: `true` if present.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// An option's value converted by a parser, with an error naming the option when conversion fails.
    /// - Parameters:
    ///   - name: The option's name without dashes.
    ///   - expected: What a valid value looks like, for the error message (`"an integer"`, `"WxH"`).
    ///   - convert: Converts the text, returning `nil` when invalid.
    /// - Returns: The converted value, or `nil` if the option was not given.
    /// - Throws: `UsageError` when the value does not convert.
    public func value<T>(_ name: String, as expected: String, _ convert: (String) -> T?) throws(UsageError) -> T? {
        guard let text = value(name) else { return nil }
        guard let converted = convert(text) else {
            throw UsageError("--\(name) expects \(expected), got '\(text)'")
        }
        return converted
    }

    /// An integer option.
    /// - Parameters:
    ///   - name: The option's name without dashes.
    ///   - range: The allowed values.
    /// - Returns: The value, or `nil` if the option was not given.
    /// - Throws: `UsageError` when it is not an integer in `range`.
    public func integer(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(UsageError) -> Int? {
        try value(name, as: "an integer in \(range.lowerBound)...\(range.upperBound)") { text in
            Int(text).flatMap { range.contains($0) ? $0 : nil }
        }
    }

    /// A number option: a finite decimal within `range` (`nan`, `inf` and values that overflow to infinity, such as
    /// `1e999`, are refused whatever the range).
    /// - Parameters:
    ///   - name: The option's name without dashes.
    ///   - range: The allowed values (the bound the option documents).
    /// - Returns: The value, or `nil` if the option was not given.
    /// - Throws: `UsageError` naming the option when it is not a finite number in `range`.
    public func number(_ name: String, in range: ClosedRange<Double>) throws(UsageError) -> Double? {
        try value(name, as: "a finite number in \(range.lowerBound)...\(range.upperBound)") { Self.finite($0, in: range) }
    }

    /// A list option: finite numbers within `range`, separated by `separator`, with a count in `counts`.
    /// - Parameters:
    ///   - name: The option's name without dashes.
    ///   - separator: What separates the numbers (`,` for lists, `:` for `MIN:MAX`).
    ///   - counts: How many numbers are allowed.
    ///   - range: The allowed values of each number.
    /// - Returns: The numbers, or `nil` if the option was not given.
    /// - Throws: `UsageError` naming the option when an item is not a finite number in `range` or the count is wrong.
    public func numbers(_ name: String, separatedBy separator: Character, count counts: ClosedRange<Int>,
                        in range: ClosedRange<Double>) throws(UsageError) -> [Double]? {
        let expected = (counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)")
            + " finite numbers in \(range.lowerBound)...\(range.upperBound) separated by '\(separator)'"
        return try value(name, as: expected) { text -> [Double]? in
            let items = text.split(separator: separator, omittingEmptySubsequences: false)
            let numbers = items.compactMap { item in
                Self.finite(String(item.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()), in: range)
            }
            return numbers.count == items.count && counts.contains(numbers.count) ? numbers : nil
        }
    }

    /// `text` as a finite number in `range`, or `nil`.
    private static func finite(_ text: String, in range: ClosedRange<Double>) -> Double? {
        guard let value = Double(text), value.isFinite, range.contains(value) else { return nil }
        return value
    }
}
