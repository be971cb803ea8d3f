import Foundation

/// A JSON value, the one the project reads and writes: replay records' drawn parameters, JSON pipeline specs'
/// operation parameters, and WebDataset samples' `.json` parts (labels, captions, metadata).
///
/// Integers keep their exact value (`.integer`, what a label needs); other numbers are doubles (`.number`). Decoding
/// makes every integral JSON number that fits an `Int` an `.integer` (`3`, `3.0` and `3e0` alike, as Foundation parses
/// them), and equality and hashing compare numbers by value, so `.integer(3) == .number(3)`.
public enum JSONValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integral number that fits an `Int`.
    case integer(Int)
    /// Any other number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Decodes any JSON value.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` for input that is not JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value (integral numbers without a fraction).
    /// - Parameter encoder: The encoder.
    /// - Throws: `EncodingError` for non-finite numbers.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value):
            if let integer = Self.exactInteger(value) { try container.encode(integer) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses UTF-8 JSON text.
    /// - Parameter bytes: The text.
    /// - Returns: The value, or `nil` when the bytes are not JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// Numbers compare by value across `.integer` and `.number`; everything else structurally.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.integer, .number), (.number, .integer), (.number, .number): return lhs.doubleValue == rhs.doubleValue
        default: return false
        }
    }

    /// Hashes numbers by value (an integral `.number` hashes as its `.integer`).
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(1); hasher.combine(value)
        case .integer(let value): hasher.combine(2); hasher.combine(value)
        case .number(let value):
            if let integer = Self.exactInteger(value) { hasher.combine(2); hasher.combine(integer) } else { hasher.combine(3); hasher.combine(value) }
        case .string(let value): hasher.combine(4); hasher.combine(value)
        case .array(let value): hasher.combine(5); hasher.combine(value)
        case .object(let value): hasher.combine(6); hasher.combine(value)
        }
    }

    /// A number as a double (`nil` for other values).
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// A number as an integer when it is integral and exactly representable (`nil` otherwise).
    public var integerValue: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value): return Self.exactInteger(value)
        default: return nil
        }
    }

    /// A number value, `.integer` when it is integral and exactly representable.
    /// - Parameter value: The number.
    /// - Returns: The JSON value.
    public static func numeric(_ value: Double) -> JSONValue {
        exactInteger(value).map(JSONValue.integer) ?? .number(value)
    }

    /// Compact JSON text: object keys sorted, except that `op` (the operation of replay records and pipeline stages)
    /// comes first and `children` last, so nested records read top-down.
    public var description: String {
        text { key in key == "op" ? 0 : key == "children" ? 2 : 1 }
    }

    /// Compact JSON text with object keys in plain sorted order (WebDataset metadata, canonical forms).
    public var canonicalText: String { text { _ in 0 } }

    /// Compact JSON text; object keys ordered by `rank`, then by name. Non-finite numbers print as `null`.
    /// - Parameter rank: Orders keys before their names do.
    /// - Returns: The text.
    public func text(rankingKeys rank: (String) -> Int) -> String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value):
            if let integer = Self.exactInteger(value) { return String(integer) }
            return value.isFinite ? "\(value)" : "null"
        case .string(let value): return Self.quoted(value)
        case .array(let items): return "[" + items.map { $0.text(rankingKeys: rank) }.joined(separator: ",") + "]"
        case .object(let fields):
            let keys = fields.keys.sorted { (rank($0), $0) < (rank($1), $1) }
            return "{" + keys.map { Self.quoted($0) + ":" + (fields[$0] ?? .null).text(rankingKeys: rank) }.joined(separator: ",") + "}"
        }
    }

    /// Converts any `Encodable` value to a JSON value.
    /// - Parameter value: The value.
    /// - Returns: Its JSON form.
    /// - Throws: `AugmentError` (operation `replay`) when the value cannot be encoded.
    public static func encoding<Value: Encodable>(_ value: Value) throws(AugmentError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        } catch {
            throw AugmentError(operation: "replay", key: "parameters", message: "cannot encode \(Value.self): \(error)")
        }
    }

    /// Converts this JSON value to a `Decodable` type.
    /// - Parameter type: The type.
    /// - Returns: The decoded value.
    /// - Throws: `AugmentError` (operation `replay`) when the value does not have that type's shape.
    public func decoded<Value: Decodable>(as type: Value.Type) throws(AugmentError) -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(self))
        } catch {
            throw AugmentError(operation: "replay", key: "parameters", message: "cannot decode \(Value.self) from \(self)")
        }
    }

    /// A JSON string literal.
    private static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20: output += String(format: "\\u%04x", scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// `value` as an integer when it is integral and exactly representable as a double.
    /// - Parameter value: A number.
    /// - Returns: The integer, or `nil`.
    static func exactInteger(_ value: Double) -> Int? {
        guard value.isFinite, value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 else { return nil }
        return Int(value)
    }
}
