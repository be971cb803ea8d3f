/// The grammar of one subcommand: its options and how many positional arguments it takes.
public struct CommandSpec: Sendable {
    /// One `--name` option.
    public struct Option: Sendable, Hashable {
        /// The name without dashes (`min-size`).
        public let name: String
        /// Whether the option takes a value (`--seed 3`, `--seed=3`) or is a flag (`--shuffle`).
        public let takesValue: Bool
        /// Whether it may appear more than once (values are collected in order).
        public let repeatable: Bool
        /// One line of help, shown in the usage text.
        public let help: String

        /// Creates an option that takes a value.
        /// - Parameters:
        ///   - name: The name without dashes.
        ///   - repeatable: Whether it may be given more than once.
        ///   - help: One line of help.
        /// - Returns: The option.
        public static func value(_ name: String, repeatable: Bool = false, help: String) -> Option {
            Option(name: name, takesValue: true, repeatable: repeatable, help: help)
        }

        /// Creates a flag (an option without a value).
        /// - Parameters:
        ///   - name: The name without dashes.
        ///   - help: One line of help.
        /// - Returns: The option.
        public static func flag(_ name: String, help: String) -> Option {
            Option(name: name, takesValue: false, repeatable: false, help: help)
        }
    }

    /// The subcommand's name as typed (`decode`, `cache verify`).
    public let name: String
    /// The synopsis after the program name, e.g. `decode IN OUT [--min-size WxH]`.
    public let synopsis: String
    /// The options it accepts.
    public let options: [Option]
    /// The fewest positional arguments.
    public let minimumPositionals: Int
    /// The most positional arguments (`nil` = unlimited).
    public let maximumPositionals: Int?

    /// Creates a command grammar.
    /// - Parameters:
    ///   - name: The subcommand's name.
    ///   - synopsis: The usage line.
    ///   - options: Accepted options.
    ///   - positionals: The allowed number of positional arguments.
    public init(name: String, synopsis: String, options: [Option] = [], positionals: ClosedRange<Int>) {
        self.name = name
        self.synopsis = synopsis
        self.options = options
        self.minimumPositionals = positionals.lowerBound
        self.maximumPositionals = positionals.upperBound
    }

    /// The usage text: synopsis and one line per option.
    public var usage: String {
        var lines = ["usage: sgid \(synopsis)"]
        for option in options {
            let form = option.takesValue ? "--\(option.name) VALUE" : "--\(option.name)"
            lines.append("  " + form + String(repeating: " ", count: max(2, 24 - form.count)) + option.help)
        }
        return lines.joined(separator: "\n")
    }
}
