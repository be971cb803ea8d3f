/// The inline pipeline spec: a one-line description of a pipeline, for CLI flags and configuration files.
///
/// Grammar:
/// ```
/// pipeline  := ε | stage ( '|' stage )*
/// stage     := name [ '(' [ parameter ( ',' parameter )* ] ')' ]
/// parameter := key '=' value
/// name, key := letter or '_', then letters, digits or '_'
/// value     := one or more characters other than '|', ',', '(', ')', '=' (surrounding spaces ignored)
/// ```
/// Stages run left to right; names and parameters are those of the `AugmenterRegistry` in use. Values are typed by
/// each operation: integers `224`, numbers `0.5` or `3/4`, ranges `0.08:1`, sizes `224` or `256x192`, filter names.
///
/// Example: `random_resized_crop(size=224, scale=0.08:1) | hflip(p=0.5) | center_crop(size=224)`.
public enum PipelineSpec {
    /// The `key` field of spec errors (they concern no sample).
    static let errorKey = "pipeline spec"

    /// One `name(key=value, …)` stage, parameters in the order written.
    public struct Stage: Sendable, Hashable, CustomStringConvertible {
        /// The operation's name.
        public var name: String
        /// The parameters, in the order written.
        public var parameters: [Parameter]

        /// One `key=value` pair.
        public struct Parameter: Sendable, Hashable {
            /// The parameter's name.
            public var key: String
            /// Its value, as written (trimmed).
            public var value: String

            /// Creates a pair.
            /// - Parameters:
            ///   - key: The name.
            ///   - value: The value.
            public init(key: String, value: String) {
                self.key = key
                self.value = value
            }
        }

        /// Creates a stage.
        /// - Parameters:
        ///   - name: The operation's name.
        ///   - parameters: The parameters.
        public init(name: String, parameters: [Parameter] = []) {
            self.name = name
            self.parameters = parameters
        }

        /// The parameters as a dictionary.
        public var values: [String: String] {
            Dictionary(parameters.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        }

        /// The canonical text: `name(key=value, key=value)`, or `name` without parameters.
        public var description: String {
            parameters.isEmpty ? name : "\(name)(\(parameters.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")))"
        }
    }

    /// Parses a spec's syntax into stages (without checking names against a registry).
    /// - Parameter text: The spec.
    /// - Returns: The stages, in order (none for a blank spec).
    /// - Throws: `AugmentError` describing the syntax error and the stage it is in.
    public static func stages(_ text: String) throws(AugmentError) -> [Stage] {
        if text.allSatisfy(\.isWhitespace) { return [] }
        var stages: [Stage] = []
        for (index, piece) in text.split(separator: "|", omittingEmptySubsequences: false).enumerated() {
            stages.append(try stage(trimmed(piece), number: index + 1))
        }
        return stages
    }

    /// Formats stages as canonical spec text (`stages(format(s)) == s`).
    /// - Parameter stages: The stages.
    /// - Returns: The text, stages joined by ` | `.
    public static func format(_ stages: [Stage]) -> String { stages.map(\.description).joined(separator: " | ") }

    /// Parses a spec and builds its pipeline.
    /// - Parameters:
    ///   - text: The spec.
    ///   - registry: Where operation names are looked up (default: the shared registry).
    /// - Returns: The pipeline.
    /// - Throws: `AugmentError` naming the operation and parameter for syntax errors, unknown operations,
    ///   unknown parameters and bad values.
    public static func parse(_ text: String, registry: AugmenterRegistry = .shared) throws(AugmentError) -> Pipeline {
        var built: [any Augmenter] = []
        for stage in try stages(text) {
            built.append(try registry.make(stage.name, stage.values))
        }
        return Pipeline(built)
    }

    private static func stage(_ text: String, number: Int) throws(AugmentError) -> Stage {
        func failure(_ operation: String, _ message: String) -> AugmentError {
            AugmentError(operation: operation.isEmpty ? "pipeline spec" : operation, key: errorKey,
                         message: "stage \(number) '\(text)': \(message)")
        }
        guard !text.isEmpty else { throw failure("", "empty stage") }
        guard let open = text.firstIndex(of: "(") else {
            guard isIdentifier(text) else { throw failure("", "bad operation name") }
            return Stage(name: text)
        }
        let name = trimmed(text[..<open])
        guard isIdentifier(name) else { throw failure("", "bad operation name '\(name)'") }
        guard text.last == ")" else { throw failure(name, "missing ')' at the end") }
        let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
        guard !inner.contains("("), !inner.contains(")") else { throw failure(name, "unbalanced parentheses") }
        if inner.allSatisfy(\.isWhitespace) { return Stage(name: name) }
        var parameters: [Stage.Parameter] = []
        for item in inner.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = item.split(separator: "=", omittingEmptySubsequences: false)
            guard pair.count == 2 else { throw failure(name, "expected 'key=value', found '\(trimmed(item))'") }
            let key = trimmed(pair[0]), value = trimmed(pair[1])
            guard isIdentifier(key) else { throw failure(name, "bad parameter name '\(key)'") }
            guard !value.isEmpty else { throw failure(name, "parameter '\(key)' has no value") }
            guard !parameters.contains(where: { $0.key == key }) else {
                throw failure(name, "parameter '\(key)' given twice")
            }
            parameters.append(Stage.Parameter(key: key, value: value))
        }
        return Stage(name: name, parameters: parameters)
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    private static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.properties.isAlphabetic && first.isASCII)
        else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic
            || ("0"..."9").contains($0)) }
    }
}
