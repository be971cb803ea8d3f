import Foundation

/// One message of the generator worker protocol (Formats/GeneratorProtocol.md): a JSON header and raw payloads.
public struct WorkerFrame: @unchecked Sendable {
    /// The header object (JSON types: String, NSNumber, Bool, NSNull, arrays, dictionaries).
    public var header: [String: Any]
    /// The payloads, in the order the header's `"payloads"` lists their lengths.
    public var payloads: [[UInt8]]

    /// Largest header accepted (16 MiB).
    public static let maxHeaderBytes = 16 << 20
    /// Largest total payload accepted (2 GiB).
    public static let maxPayloadBytes = 2 << 30

    /// Creates a frame.
    /// - Parameters:
    ///   - header: The JSON header (its `"payloads"` entry is set from `payloads` when encoding).
    ///   - payloads: Raw byte strings.
    public init(header: [String: Any], payloads: [[UInt8]] = []) {
        self.header = header
        self.payloads = payloads
    }

    /// The message type (`"type"`).
    public var type: String { header["type"] as? String ?? "" }

    /// The request id (`"id"`), if any.
    public var id: Int? { (header["id"] as? NSNumber)?.intValue }

    /// The frame's bytes: length, header, payloads.
    /// - Returns: The encoded frame.
    /// - Throws: `GeneratorError` when the header is not serialisable JSON.
    public func encoded() throws(GeneratorError) -> [UInt8] {
        var object = header
        if !payloads.isEmpty { object["payloads"] = payloads.map(\.count) }
        guard JSONSerialization.isValidJSONObject(object),
              let json = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            throw GeneratorError(.protocolViolation, "frame header is not valid JSON")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + json.count + payloads.reduce(0) { $0 + $1.count })
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        for payload in payloads { bytes.append(contentsOf: payload) }
        return bytes
    }

    /// Reads one frame from a byte stream.
    /// - Parameter read: Reads exactly `n` bytes, or throws (end of stream, timeout).
    /// - Returns: The frame.
    /// - Throws: `GeneratorError` for malformed frames or whatever `read` throws.
    public static func read(_ read: (Int) throws(GeneratorError) -> [UInt8]) throws(GeneratorError) -> WorkerFrame {
        let lengthBytes = try read(4)
        let length = Int(UInt32(lengthBytes[0]) | UInt32(lengthBytes[1]) << 8 | UInt32(lengthBytes[2]) << 16
                         | UInt32(lengthBytes[3]) << 24)
        guard length >= 1, length <= maxHeaderBytes else {
            throw GeneratorError(.protocolViolation, "frame header length \(length) is outside 1...\(maxHeaderBytes)")
        }
        let json = try read(length)
        guard let header = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] else {
            throw GeneratorError(.protocolViolation, "frame header is not a JSON object")
        }
        let lengths = (header["payloads"] as? [NSNumber])?.map(\.intValue) ?? []
        guard lengths.allSatisfy({ $0 >= 0 }), lengths.reduce(0, +) <= maxPayloadBytes else {
            throw GeneratorError(.protocolViolation, "frame payload lengths \(lengths) are invalid")
        }
        var payloads: [[UInt8]] = []
        for length in lengths { payloads.append(try read(length)) }
        return WorkerFrame(header: header, payloads: payloads)
    }
}
