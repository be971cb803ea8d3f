import Foundation

/// A whole pipeline as a versioned JSON document (`Formats/PipelineSpec.md`):
/// `{"version": 1, "pipeline": [{"op": "random_resized_crop", "size": 224}, {"op": "one_of", "weights": [1, 2],
/// "children": [{"op": "hflip", "p": 1}, {"op": "vflip", "p": 1}]}]}`.
///
/// Each stage is an object with `op` (a registered name), its parameters as JSON scalars or arrays (arrays are the
/// inline form's `a:b:c` lists), and, for composition operations, `children` (an array of stages). The document
/// converts losslessly to and from the inline form (`PipelineSpec`) and builds through an `AugmenterRegistry`, so
/// user-registered operations work in both.
public struct PipelineDocument: Sendable, Hashable, Codable {
    /// The format version this build reads and writes.
    public static let currentVersion = 1

    /// The document's format version.
    public var version: Int
    /// The stages, in order.
    public var pipeline: [PipelineSpec.Stage]

    /// Creates a document.
    /// - Parameters:
    ///   - pipeline: The stages.
    ///   - version: The format version (default: the current one).
    public init(pipeline: [PipelineSpec.Stage], version: Int = PipelineDocument.currentVersion) {
        self.version = version
        self.pipeline = pipeline
    }

    /// Creates a document from an inline spec.
    /// - Parameter inline: The inline spec text.
    /// - Throws: `AugmentError` for syntax errors.
    public init(inline: String) throws(AugmentError) { self.init(pipeline: try PipelineSpec.stages(inline)) }

    /// The inline form of the pipeline.
    public var inline: String { PipelineSpec.format(pipeline) }

    /// Builds the pipeline.
    /// - Parameter registry: Where operation names are looked up.
    /// - Returns: The pipeline.
    /// - Throws: `AugmentError` naming the operation and parameter.
    public func build(registry: AugmenterRegistry = .shared) throws(AugmentError) -> Pipeline {
        try PipelineSpec.build(pipeline, registry: registry)
    }

    /// Reads a JSON document.
    /// - Parameter bytes: UTF-8 JSON.
    /// - Returns: The document.
    /// - Throws: `AugmentError` for malformed JSON, an unsupported version, or a malformed stage (naming the
    ///   operation and parameter).
    public static func decode(_ bytes: [UInt8]) throws(AugmentError) -> PipelineDocument {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw failure("pipeline spec", "not valid JSON (\(error))")
        }
        return try document(value)
    }

    /// The document as JSON text (keys sorted, `op` first in compact form).
    /// - Parameter pretty: Indent for reading.
    /// - Returns: UTF-8 JSON.
    public func encoded(pretty: Bool = false) -> [UInt8] {
        guard pretty else { return Array(json.description.utf8) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(json)).map { [UInt8]($0) } ?? []
    }

    /// The document as a JSON value.
    public var json: JSONValue {
        .object(["version": .integer(version), "pipeline": .array(pipeline.map(Self.json))])
    }

    /// Decodes a document (through `decode(_:)`'s checks).
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError.dataCorrupted` carrying the `AugmentError`'s text.
    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        do {
            self = try Self.document(value)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes the document as its JSON value.
    /// - Parameter encoder: The encoder.
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }

    // MARK: Conversion

    private static func failure(_ operation: String, _ message: String) -> AugmentError {
        AugmentError(operation: operation, key: PipelineSpec.errorKey, message: message)
    }

    private static func document(_ value: JSONValue) throws(AugmentError) -> PipelineDocument {
        guard case .object(let fields) = value else { throw failure("pipeline spec", "expected a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !["version", "pipeline"].contains($0) }) {
            throw failure("pipeline spec", "unknown field '\(unknown)' (expected version, pipeline)")
        }
        guard let version = fields["version"]?.integerValue else {
            throw failure("pipeline spec", "missing or non-integer 'version'")
        }
        guard version == currentVersion else {
            throw failure("pipeline spec", "unsupported version \(version) (this build reads version \(currentVersion))")
        }
        guard case .array(let items)? = fields["pipeline"] else {
            throw failure("pipeline spec", "missing 'pipeline' array")
        }
        return PipelineDocument(pipeline: try stages(items, path: "pipeline"), version: version)
    }

    private static func stages(_ items: [JSONValue], path: String) throws(AugmentError) -> [PipelineSpec.Stage] {
        var stages: [PipelineSpec.Stage] = []
        for (index, item) in items.enumerated() {
            stages.append(try stage(item, path: "\(path)[\(index)]"))
        }
        return stages
    }

    private static func stage(_ value: JSONValue, path: String) throws(AugmentError) -> PipelineSpec.Stage {
        guard case .object(let fields) = value else { throw failure("pipeline spec", "\(path): expected an object") }
        guard case .string(let name)? = fields["op"] else {
            throw failure("pipeline spec", "\(path): missing string field 'op'")
        }
        var stage = PipelineSpec.Stage(name: name)
        for key in fields.keys.sorted() where key != "op" {
            let field = fields[key] ?? .null
            if key == PipelineSpec.childrenKey, case .array(let children) = field {
                stage.children = try stages(children, path: "\(path).children")
                continue
            }
            guard let text = text(field) else {
                throw AugmentError(operation: name, key: PipelineSpec.errorKey,
                                   message: "parameter '\(key)' = \(field): expected a number, string, boolean or "
                                       + "array of numbers/strings without | , ( ) =")
            }
            stage.parameters.append(PipelineSpec.Stage.Parameter(key: key, value: text))
        }
        return stage
    }

    /// The inline text of a JSON parameter value, or `nil` when it has no inline form.
    private static func text(_ value: JSONValue) -> String? {
        func scalar(_ value: JSONValue) -> String? {
            switch value {
            case .integer(let integer): return String(integer)
            case .number(let number): return JSONValue.exactInteger(number).map(String.init) ?? (number.isFinite ? "\(number)" : nil)
            case .string(let string):
                return string.isEmpty || string.contains(where: { "|,()=:".contains($0) }) || string != string.trimmingCharacters(in: .whitespaces) ? nil : string
            case .bool(let bool): return bool ? "true" : "false"
            default: return nil
            }
        }
        if case .array(let items) = value {
            let parts = items.compactMap(scalar)
            return parts.count == items.count && !parts.isEmpty ? parts.joined(separator: ":") : nil
        }
        if case .string(let string) = value, !string.isEmpty, !string.contains(where: { "|,()=".contains($0) }),
           string == string.trimmingCharacters(in: .whitespaces) {
            return string
        }
        return scalar(value)
    }

    /// The JSON value of an inline parameter text: integers and numbers become numbers, `true`/`false` booleans,
    /// `a:b` lists of numbers arrays, anything else a string.
    static func json(_ text: String) -> JSONValue {
        func number(_ text: String) -> Double? {
            guard let value = Double(text), value.isFinite, !text.contains(where: { $0.isLetter }) else { return nil }
            return value
        }
        if let value = number(text) { return .numeric(value) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1 {
            let numbers = parts.compactMap(number)
            if numbers.count == parts.count { return .array(numbers.map(JSONValue.numeric)) }
        }
        return .string(text)
    }

    /// The JSON object of a stage.
    static func json(_ stage: PipelineSpec.Stage) -> JSONValue {
        var fields: [String: JSONValue] = ["op": .string(stage.name)]
        for parameter in stage.parameters { fields[parameter.key] = json(parameter.value) }
        if let positional = stage.positional { fields[PipelineSpec.positionalKey] = json(positional) }
        if let children = stage.children { fields[PipelineSpec.childrenKey] = .array(children.map(json)) }
        return .object(fields)
    }
}
