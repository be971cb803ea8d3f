import Foundation

/// A JSON value: what replay records hold as drawn parameters and what JSON pipeline specs hold as operation
/// parameters. Numbers are doubles; integral values print without a fraction.
public enum JSONValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
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

    /// Encodes the value.
    /// - Parameter encoder: The encoder.
    /// - Throws: `EncodingError` for non-finite numbers.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if let integer = Self.integer(value) { try container.encode(integer) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
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

    /// Compact JSON text: object keys sorted, except that `op` (the operation of records and pipeline stages)
    /// comes first and `children` last, so nested records read top-down.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value):
            if let integer = Self.integer(value) { return String(integer) }
            return value.isFinite ? "\(value)" : "null"
        case .string(let value): return Self.quoted(value)
        case .array(let items): return "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let fields):
            func rank(_ key: String) -> Int { key == "op" ? 0 : key == "children" ? 2 : 1 }
            let keys = fields.keys.sorted { (rank($0), $0) < (rank($1), $1) }
            return "{" + keys.map { Self.quoted($0) + ":" + (fields[$0] ?? .null).description }.joined(separator: ",") + "}"
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

    /// `value` as an integer when it is integral and exactly representable.
    /// - Parameter value: A number.
    /// - Returns: The integer, or `nil`.
    static func integer(_ value: Double) -> Int? {
        guard value.isFinite, value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 else { return nil }
        return Int(value)
    }
}
