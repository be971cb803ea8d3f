/// A small command-line parser: `--name value`, `--name=value`, flags, `--` to end options, positionals anywhere.
public enum ArgumentParser {
    /// Parses the arguments that follow the subcommand's name.
    /// - Parameters:
    ///   - arguments: The arguments, without the program and subcommand names.
    ///   - spec: The subcommand's grammar.
    /// - Returns: Positionals, option values and flags.
    /// - Throws: `UsageError` naming the unknown option, missing value, repeated option, or wrong positional count.
    public static func parse(_ arguments: [String], spec: CommandSpec) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        let options = Dictionary(spec.options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("--") || argument == "-" {
                if !optionsEnded, argument.hasPrefix("-"), argument != "-", Int(argument) == nil, Double(argument) == nil {
                    throw UsageError("unknown option '\(argument)' (options are spelled --name)")
                }
                result.positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            let body = argument.dropFirst(2)
            let name: String, inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
                inlineValue = nil
            }
            guard let option = options[name] else {
                throw UsageError("unknown option '--\(name)' for '\(spec.name)'")
            }
            if option.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else {
                    throw UsageError("option '--\(name)' needs a value")
                }
                if !option.repeatable, result.values[name] != nil {
                    throw UsageError("option '--\(name)' given more than once")
                }
                result.values[name, default: []].append(value)
            } else {
                if inlineValue != nil { throw UsageError("flag '--\(name)' takes no value") }
                result.flags.insert(name)
            }
        }
        if result.positionals.count < spec.minimumPositionals {
            throw UsageError("'\(spec.name)' needs \(spec.minimumPositionals) argument(s), got \(result.positionals.count)")
        }
        if let maximum = spec.maximumPositionals, result.positionals.count > maximum {
            let extra = result.positionals[maximum...].joined(separator: " ")
            throw UsageError("'\(spec.name)' takes at most \(maximum) argument(s); unexpected: \(extra)")
        }
        return result
    }
}
