import Foundation

/// A parsed JSON value of a sample's `.json` part, for label/caption fields and metadata.
enum WebDatasetJSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([WebDatasetJSONValue])
    case object([String: WebDatasetJSONValue])

    init(from decoder: any Decoder) throws {
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
        } else if let value = try? container.decode([WebDatasetJSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: WebDatasetJSONValue].self))
        }
    }

    /// Parses JSON bytes.
    /// - Parameter bytes: UTF-8 JSON.
    /// - Returns: The value, or nil when the bytes are not JSON.
    static func parse(_ bytes: [UInt8]) -> WebDatasetJSONValue? {
        try? JSONDecoder().decode(WebDatasetJSONValue.self, from: Data(bytes))
    }

    /// The value as metadata text: strings as they are, everything else as compact JSON (keys sorted).
    var metadataText: String {
        if case .string(let text) = self { return text }
        return jsonText
    }

    /// Compact JSON text with sorted keys.
    var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return value.isFinite ? "\(value)" : "null"
        case .string(let text): return Self.quoted(text)
        case .array(let values): return "[" + values.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            let sorted = members.keys.sorted().map { Self.quoted($0) + ":" + (members[$0]?.jsonText ?? "null") }
            return "{" + sorted.joined(separator: ",") + "}"
        }
    }

    /// The value as an integer label: an integral number, or a string holding one.
    var integerValue: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value): return value.rounded() == value && abs(value) < 9e18 ? Int(value) : nil
        case .string(let text): return WebDatasetFieldParsing.pythonInteger(Array(text.utf8))
        default: return nil
        }
    }

    private static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    output += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
