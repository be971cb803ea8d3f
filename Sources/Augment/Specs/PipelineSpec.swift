/// The inline pipeline spec: a one-line description of a pipeline, for CLI flags and configuration files.
///
/// Grammar:
/// ```
/// pipeline  := ε | stage ( '|' stage )*
/// stage     := name [ '(' [ item ( ',' item )* ] ')' ]
/// item      := key '=' value          a parameter
///            | pipeline               the stage's children (at most one such item; composition operations)
///            | value                  shorthand for config=value (operations with a `config` parameter)
/// name, key := letter or '_', then letters, digits or '_'
/// value     := one or more characters other than '|', ',', '(', ')', '=' (surrounding spaces ignored)
/// ```
/// An item is a parameter when it has an `=` outside parentheses; otherwise it is a nested pipeline, the children of
/// a composition stage, passed to the registry as the parameter `children` in canonical text. A bare item given to
/// an operation that takes `config` but no `children` is that operation's `config` value
/// (`randaugment(rand-m9-n2-mstd0.5)` is `randaugment(config=rand-m9-n2-mstd0.5)`).
/// Stages run left to right; names and parameters are those of the `AugmenterRegistry` in use. Values are typed by
/// each operation: integers `224`, numbers `0.5` or `3/4`, ranges and lists `0.08:1`, `1:2:1`, sizes `224` or
/// `256x192`, filter names. Numbers must be finite and within the bound each parameter documents (sizes within
/// `AugmentLimits`); values outside are refused when the spec is parsed. A spec whose first non-blank character is `{`
/// is a JSON pipeline (`Formats/PipelineSpec.md`).
///
/// Examples: `random_resized_crop(size=224, scale=0.08:1) | hflip(p=0.5) | center_crop(size=224)`,
/// `resize(size=256) | one_of(hflip(p=1) | vflip(p=1), weights=1:2) | random_apply(hflip | vflip, p=0.3)`.
public enum PipelineSpec {
    /// The `key` field of spec errors (they concern no sample).
    static let errorKey = "pipeline spec"
    /// The parameter under which a composition stage's children reach its registry factory (canonical inline text).
    public static let childrenKey = "children"
    /// The parameter a bare, unnamed item stands for when the operation takes no children.
    public static let positionalKey = "config"

    /// One `name(children, key=value, …)` stage, parameters in the order written.
    public struct Stage: Sendable, Hashable, CustomStringConvertible {
        /// The operation's name.
        public var name: String
        /// The parameters, in the order written.
        public var parameters: [Parameter]
        /// The nested pipeline of a composition stage, or `nil` when none was written.
        public var children: [Stage]?
        /// A bare item that is not a pipeline (`rand-m9-n2-mstd0.5`), shorthand for `config=…`, or `nil`.
        public var positional: String?

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
        ///   - children: The nested pipeline of a composition stage.
        ///   - positional: A bare item that is not a pipeline.
        public init(name: String, parameters: [Parameter] = [], children: [Stage]? = nil, positional: String? = nil) {
            self.name = name
            self.parameters = parameters
            self.children = children
            self.positional = positional
        }

        /// The parameters as a dictionary, with the children (if any) as canonical text under `children`.
        public var values: [String: String] {
            var values = Dictionary(parameters.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            if let children { values[PipelineSpec.childrenKey] = PipelineSpec.format(children) }
            return values
        }

        /// The canonical text: `name(child | child, key=value)`, or `name` without parameters or children.
        public var description: String {
            var items = parameters.map { "\($0.key)=\($0.value)" }
            if let children { items.insert(PipelineSpec.format(children), at: 0) }
            if let positional { items.insert(positional, at: 0) }
            return items.isEmpty ? name : "\(name)(\(items.joined(separator: ", ")))"
        }
    }

    /// Parses a spec's syntax into stages (without checking names against a registry).
    /// - Parameter text: The spec.
    /// - Returns: The stages, in order (none for a blank spec).
    /// - Throws: `AugmentError` describing the syntax error and the stage it is in.
    public static func stages(_ text: String) throws(AugmentError) -> [Stage] {
        if text.allSatisfy(\.isWhitespace) { return [] }
        var stages: [Stage] = []
        for (index, piece) in split(Substring(text), at: "|").enumerated() {
            stages.append(try stage(trimmed(piece), number: index + 1))
        }
        return stages
    }

    /// Formats stages as canonical spec text (`stages(format(s)) == s`).
    /// - Parameter stages: The stages.
    /// - Returns: The text, stages joined by ` | `.
    public static func format(_ stages: [Stage]) -> String { stages.map(\.description).joined(separator: " | ") }

    /// Parses a spec (inline, or JSON when it starts with `{`) and builds its pipeline.
    /// - Parameters:
    ///   - text: The spec.
    ///   - registry: Where operation names are looked up (default: the shared registry).
    /// - Returns: The pipeline.
    /// - Throws: `AugmentError` naming the operation and parameter for syntax errors, unknown operations,
    ///   unknown parameters and bad values.
    public static func parse(_ text: String, registry: AugmenterRegistry = .shared) throws(AugmentError) -> Pipeline {
        if text.first(where: { !$0.isWhitespace }) == "{" {
            return try build(PipelineDocument.decode(Array(text.utf8)).pipeline, registry: registry)
        }
        return try build(stages(text), registry: registry)
    }

    /// Builds the pipeline of parsed stages.
    /// - Parameters:
    ///   - stages: The stages.
    ///   - registry: Where operation names are looked up.
    /// - Returns: The pipeline.
    /// - Throws: `AugmentError` naming the operation and parameter for unknown operations, unknown parameters,
    ///   children given to an operation that takes none, and bad values.
    public static func build(_ stages: [Stage], registry: AugmenterRegistry = .shared) throws(AugmentError) -> Pipeline {
        var built: [any Augmenter] = []
        for (index, stage) in stages.enumerated() {
            var values = stage.values
            guard let accepted = registry.parameters(of: stage.name) else {
                built.append(try registry.make(stage.name, values))  // refuses the unknown name
                continue
            }
            let bare = stage.positional ?? (accepted.contains(childrenKey) ? nil : stage.children.map(format))
            if let bare {
                values[childrenKey] = nil
                guard accepted.contains(positionalKey), !accepted.contains(childrenKey), values[positionalKey] == nil else {
                    throw AugmentError(operation: stage.name, key: errorKey,
                                       message: "stage \(index + 1) '\(stage)': expected 'key=value', found '\(bare)'")
                }
                values[positionalKey] = bare
            }
            built.append(try registry.make(stage.name, values))
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
        guard isBalanced(inner) else { throw failure(name, "unbalanced parentheses") }
        if inner.allSatisfy(\.isWhitespace) { return Stage(name: name) }
        var parameters: [Stage.Parameter] = []
        var children: [Stage]?
        var positional: String?
        for item in split(inner, at: ",") {
            guard let equals = topLevelIndex(of: "=", in: item) else {
                guard children == nil && positional == nil else {
                    throw failure(name, "children given twice ('\(trimmed(item))')")
                }
                guard !item.allSatisfy(\.isWhitespace) else { throw failure(name, "empty item") }
                do {
                    children = try stages(String(item))
                } catch {
                    // Not a pipeline: a bare value (`rand-m9-n2`) when it has none of the pipeline punctuation.
                    let value = trimmed(item)
                    guard value.contains(where: { "|()".contains($0) }) else {
                        positional = value
                        continue
                    }
                    throw AugmentError(operation: error.operation, key: errorKey,
                                       message: "in '\(name)': \(error.message)")
                }
                continue
            }
            let key = trimmed(item[..<equals]), value = trimmed(item[item.index(after: equals)...])
            guard isIdentifier(key) else { throw failure(name, "bad parameter name '\(key)'") }
            guard !value.isEmpty else { throw failure(name, "parameter '\(key)' has no value") }
            guard !value.contains(where: { "|,()=".contains($0) }) else {
                throw failure(name, "parameter '\(key)' = '\(value)': expected 'key=value', found a nested item")
            }
            guard !parameters.contains(where: { $0.key == key }) else {
                throw failure(name, "parameter '\(key)' given twice")
            }
            parameters.append(Stage.Parameter(key: key, value: value))
        }
        return Stage(name: name, parameters: parameters, children: children, positional: positional)
    }

    /// Splits at `separator` outside parentheses.
    private static func split(_ text: Substring, at separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var depth = 0, start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "(": depth += 1
            case ")": depth -= 1
            case separator where depth == 0:
                pieces.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        pieces.append(text[start...])
        return pieces
    }

    /// The first `character` outside parentheses.
    private static func topLevelIndex(of character: Character, in text: Substring) -> Substring.Index? {
        var depth = 0
        for index in text.indices {
            switch text[index] {
            case "(": depth += 1
            case ")": depth -= 1
            case character where depth == 0: return index
            default: break
            }
        }
        return nil
    }

    /// Whether parentheses nest properly.
    private static func isBalanced(_ text: Substring) -> Bool {
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 { return false }
        }
        return depth == 0
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
