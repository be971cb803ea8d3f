import Foundation

/// Expands WebDataset shard specifications into shard URLs, as Python `webdataset` 1.0.2 does
/// (`webdataset.shardlists.expand_urls` with `braceexpand` 0.1.7):
///
/// 1. the specification is split at every `::` (left to right) into patterns;
/// 2. in each pattern `${name}` is replaced by the environment variable `WDS_name` (repeated up to 10 times, so a
///    value may itself hold `${…}`); a missing variable is an error;
/// 3. each pattern is brace-expanded like bash: integer ranges `{000..127}` (zero padding kept when either bound
///    starts with `0`, optional step `{0..10..2}`, descending `{3..1}`), letter ranges `{a..e}`, lists `{a,b,c}`
///    (nested, empty items allowed), several braces multiply with the leftmost varying slowest; a brace group that
///    is neither stays literal (`{x}`); a backslash escapes the next character and is removed afterwards;
///    unbalanced braces are an error.
///
/// `pipe:CMD` URLs are kept as they are (their command text is expanded like any other text). In secure mode they
/// are refused.
///
/// Deliberate differences from the peer: `\d` and `\w` are ASCII-only here (Python also accepts other Unicode
/// digits and letters), numbers must fit in 64 bits, and an expansion producing more than `maxShards` URLs is
/// refused instead of being generated lazily.
public enum ShardPattern {
    /// The most URLs one specification may expand to.
    public static let maxShards = 1 << 22

    /// Expands a shard specification into URLs.
    /// - Parameters:
    ///   - specification: Patterns joined by `::`, e.g. `data/train-{000000..000127}.tar::extra.tar`.
    ///   - secureMode: Refuse `pipe:` URLs (as `WDS_SECURE=1` does in the peer).
    ///   - environment: The variables `${name}` is looked up in (as `WDS_name`); default: the process environment.
    /// - Returns: The URLs in order.
    /// - Throws: `LoaderError` of kind `.invalidArgument` for unbalanced braces, a missing `WDS_` variable, or a
    ///   range that is too large; `.io` for a `pipe:` URL in secure mode.
    public static func expand(
        _ specification: String, secureMode: Bool = false,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LoaderError) -> [String] {
        var urls: [String] = []
        for pattern in splitPatterns(specification) {
            var text = pattern
            for _ in 0..<10 {
                let substituted = try substituteEnvironment(text, environment: environment,
                                                            specification: specification)
                if substituted == text { break }
                text = substituted
            }
            urls.append(contentsOf: try braceExpand(text))
            guard urls.count <= maxShards else {
                throw LoaderError(.invalidArgument, "shard pattern expands to more than \(maxShards) URLs",
                                  location: specification)
            }
        }
        if secureMode, let pipe = urls.first(where: { $0.hasPrefix("pipe:") }) {
            throw refusedPipe(pipe)
        }
        return urls
    }

    /// The error for a `pipe:` URL in secure mode.
    /// - Parameter url: The refused URL.
    /// - Returns: An `.io` error naming the URL.
    static func refusedPipe(_ url: String) -> LoaderError {
        var message = "pipe: URLs are refused in secure mode (WDS_SECURE=1 or secureMode); the shard would run a shell command"
        if let problem = WebDatasetSecureMode.problem() {
            message += " (secure mode is on because \(problem.message))"
        }
        return LoaderError(.io, message, location: url)
    }

    /// Bash-style brace expansion of one pattern (no `::`, no environment variables), as `braceexpand` 0.1.7 with
    /// backslash escapes enabled.
    /// - Parameter pattern: The pattern.
    /// - Returns: The expansions in order (one, the pattern itself without escapes, when it has no braces).
    /// - Throws: `LoaderError` of kind `.invalidArgument` for unbalanced braces, numbers beyond 64 bits, or too many
    ///   results.
    public static func braceExpand(_ pattern: String) throws(LoaderError) -> [String] {
        let scalars = Array(pattern.unicodeScalars)
        let parser = BraceParser(pattern: pattern)
        let expanded = try parser.pattern(scalars[...])
        return expanded.map(removeEscapes)
    }

    /// Splits at `::`, left to right, without overlaps (`str.split("::")`).
    private static func splitPatterns(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == ":", index + 1 < scalars.count, scalars[index + 1] == ":" {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                index += 2
            } else {
                current.append(scalars[index])
                index += 1
            }
        }
        parts.append(String(current))
        return parts
    }

    /// Replaces each `${name}` (name: letters, digits, `_`) by `WDS_name` once.
    private static func substituteEnvironment(_ text: String, environment: [String: String],
                                              specification: String) throws(LoaderError) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "$", index + 1 < scalars.count, scalars[index + 1] == "{" {
                var end = index + 2
                while end < scalars.count, isWordCharacter(scalars[end]) { end += 1 }
                if end > index + 2, end < scalars.count, scalars[end] == "}" {
                    let name = "WDS_" + String(String.UnicodeScalarView(scalars[(index + 2)..<end]))
                    guard let value = environment[name] else {
                        throw LoaderError(.invalidArgument,
                                          "missing environment variable \(name) for the shard pattern",
                                          location: specification)
                    }
                    output.append(contentsOf: value.unicodeScalars)
                    index = end + 1
                    continue
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }

    /// Removes escaping backslashes: `\x` becomes `x` (except before a newline), left to right.
    private static func removeEscapes(_ scalars: [Unicode.Scalar]) -> String {
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\\", index + 1 < scalars.count, scalars[index + 1] != "\n" {
                output.append(scalars[index + 1])
                index += 2
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }
}

/// The recursive brace parser behind `ShardPattern.braceExpand`. Results keep their escapes (removed at the end).
private struct BraceParser {
    typealias Text = ArraySlice<Unicode.Scalar>
    let pattern: String

    /// A pattern: literal runs and top-level brace groups, multiplied together (leftmost slowest).
    func pattern(_ text: Text) throws(LoaderError) -> [[Unicode.Scalar]] {
        var items: [[[Unicode.Scalar]]] = []
        var start = text.startIndex
        var position = text.startIndex
        var depth = 0
        while position < text.endIndex {
            let scalar = text[position]
            if scalar == "\\" {
                position += 2
                continue
            }
            if scalar == "{" {
                if depth == 0, position > start {
                    items.append([Array(text[start..<position])])
                    start = position
                }
                depth += 1
            } else if scalar == "}" {
                depth -= 1
                if depth == 0 {
                    let expression = text[(start + 1)..<position]
                    if let alternatives = try self.expression(expression) {
                        items.append(alternatives)
                    } else {
                        items.append([["{"]])
                        items.append(try self.pattern(expression))
                        items.append([["}"]])
                    }
                    start = position + 1
                }
            }
            position += 1
        }
        guard depth == 0 else {
            throw LoaderError(.invalidArgument, "unbalanced braces in shard pattern '\(pattern)'", location: pattern)
        }
        if start < text.endIndex { items.append([Array(text[start..<text.endIndex])]) }
        return try product(items)
    }

    /// The cartesian product of the items' alternatives, concatenated.
    private func product(_ items: [[[Unicode.Scalar]]]) throws(LoaderError) -> [[Unicode.Scalar]] {
        var results: [[Unicode.Scalar]] = [[]]
        for alternatives in items {
            guard results.count * alternatives.count <= ShardPattern.maxShards else {
                throw LoaderError(.invalidArgument, "shard pattern expands to more than \(ShardPattern.maxShards) URLs",
                                  location: pattern)
            }
            var next: [[Unicode.Scalar]] = []
            next.reserveCapacity(results.count * alternatives.count)
            for prefix in results {
                for alternative in alternatives { next.append(prefix + alternative) }
            }
            results = next
        }
        return results
    }

    /// A brace group's contents: an integer range, a letter range, a comma list, or nil (stays literal).
    private func expression(_ text: Text) throws(LoaderError) -> [[Unicode.Scalar]]? {
        // `$` in the peer's regular expressions also matches before one final newline.
        var candidates = [text]
        if text.last == "\n" { candidates.append(text.dropLast()) }
        for candidate in candidates {
            if let range = Self.rangeParts(candidate, bound: Self.integerBound) {
                return try integerRange(range)
            }
            if let range = Self.rangeParts(candidate, bound: Self.letterBound) {
                return letterRange(range)
            }
        }
        return try sequence(text)
    }

    /// `start..end` or `start..end..[-]step`, with bounds recognised by `bound` and a digit-only step.
    private static func rangeParts(_ text: Text, bound: (Text) -> Bool) -> (start: Text, end: Text, step: Text?)? {
        let parts = split(text, separator: "..")
        guard parts.count == 2 || parts.count == 3, bound(parts[0]), bound(parts[1]) else { return nil }
        if parts.count == 2 { return (parts[0], parts[1], nil) }
        var step = parts[2]
        if step.first == "-" { step = step.dropFirst() }
        guard !step.isEmpty, step.allSatisfy(isDigit) else { return nil }
        return (parts[0], parts[1], step)
    }

    private static func split(_ text: Text, separator: String) -> [Text] {
        let marker = Array(separator.unicodeScalars)
        var parts: [Text] = []
        var start = text.startIndex
        var position = text.startIndex
        while position + marker.count <= text.endIndex {
            if Array(text[position..<(position + marker.count)]) == marker {
                parts.append(text[start..<position])
                position += marker.count
                start = position
            } else {
                position += 1
            }
        }
        parts.append(text[start..<text.endIndex])
        return parts
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// `-?[0-9]+`.
    private static func integerBound(_ text: Text) -> Bool {
        let digits = text.first == "-" ? text.dropFirst() : text
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".unicodeScalars)

    /// One ASCII letter.
    private static func letterBound(_ text: Text) -> Bool {
        text.count == 1 && alphabet.contains(text[text.startIndex])
    }

    private func integer(_ text: Text) throws(LoaderError) -> Int {
        guard let value = Int(String(String.UnicodeScalarView(text))) else {
            throw LoaderError(.invalidArgument, "number out of range in shard pattern '\(pattern)'", location: pattern)
        }
        return value
    }

    /// An integer range; zero padding to the longer bound when a bound other than `0`/`-0` starts with `0` or `-0`.
    private func integerRange(
        _ range: (start: Text, end: Text, step: Text?)
    ) throws(LoaderError) -> [[Unicode.Scalar]] {
        let bounds = [range.start, range.end].map { String(String.UnicodeScalarView($0)) }
        let padded = bounds.contains { $0 != "0" && $0 != "-0" && ($0.hasPrefix("0") || $0.hasPrefix("-0")) }
        let width = padded ? bounds.map { $0.unicodeScalars.count }.max() ?? 0 : 0
        var step = 1
        if let text = range.step, let parsed = Int(String(String.UnicodeScalarView(text))), parsed != 0 {
            step = parsed
        }
        if let text = range.step, Int(String(String.UnicodeScalarView(text))) == nil {
            throw LoaderError(.invalidArgument, "step out of range in shard pattern '\(pattern)'", location: pattern)
        }
        let start = try integer(range.start), end = try integer(range.end)
        let span = start < end ? end.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(end)
        guard !span.overflow, span.partialValue / step < ShardPattern.maxShards else {
            throw LoaderError(.invalidArgument, "range too large in shard pattern '\(pattern)'", location: pattern)
        }
        var values: [Int] = []
        if start < end {
            values = Array(stride(from: start, through: end, by: step))
        } else {
            values = Array(stride(from: start, through: end, by: -step))
        }
        return values.map { Array(Self.format($0, width: width).unicodeScalars) }
    }

    /// `%0{width}d`: the sign counts towards the width.
    private static func format(_ value: Int, width: Int) -> String {
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        let zeros = max(0, width - sign.count - digits.count)
        return sign + String(repeating: "0", count: zeros) + digits
    }

    /// A letter range over `A…Za…z`, ascending or descending, both ends included when the step reaches them.
    private func letterRange(_ range: (start: Text, end: Text, step: Text?)) -> [[Unicode.Scalar]] {
        let alphabet = Self.alphabet
        let start = alphabet.firstIndex(of: range.start[range.start.startIndex]) ?? 0
        let end = alphabet.firstIndex(of: range.end[range.end.startIndex]) ?? 0
        var step = 1
        if let text = range.step, let parsed = Int(String(String.UnicodeScalarView(text))), parsed != 0 {
            step = min(parsed, alphabet.count)
        }
        let indices = start < end ? Array(stride(from: start, through: end, by: step))
            : Array(stride(from: start, through: end, by: -step))
        return indices.map { [alphabet[$0]] }
    }

    /// A comma list at depth 0 (at least one comma, balanced braces), each item a pattern; nil otherwise.
    private func sequence(_ text: Text) throws(LoaderError) -> [[Unicode.Scalar]]? {
        var pieces: [Text] = []
        var start = text.startIndex
        var position = text.startIndex
        var depth = 0
        while position < text.endIndex {
            let scalar = text[position]
            if scalar == "\\" {
                position += 2
                continue
            }
            if scalar == "{" {
                depth += 1
            } else if scalar == "}" {
                depth -= 1
            } else if scalar == ",", depth == 0 {
                pieces.append(text[start..<position])
                start = position + 1
            }
            position += 1
        }
        guard depth == 0, !pieces.isEmpty else { return nil }
        pieces.append(text[min(start, text.endIndex)..<text.endIndex])
        var alternatives: [[Unicode.Scalar]] = []
        for piece in pieces {
            alternatives.append(contentsOf: try pattern(piece))
            guard alternatives.count <= ShardPattern.maxShards else {
                throw LoaderError(.invalidArgument, "shard pattern expands to more than \(ShardPattern.maxShards) URLs",
                                  location: pattern)
            }
        }
        return alternatives
    }
}
