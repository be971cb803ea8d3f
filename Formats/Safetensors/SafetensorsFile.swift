import Foundation

/// One tensor's entry in a safetensors header.
public struct SafetensorsTensorInfo: Sendable, Hashable {
    /// The tensor's name (`down_blocks.0.resnets.0.conv1.weight`).
    public let name: String
    /// The dtype as the file names it (`F32`, `F16`, `BF16`, `I64`, …).
    public let dtypeName: String
    /// The dtype when this reader converts it to `Float`, else `nil`.
    public let dtype: SafetensorsDType?
    /// The shape (empty for a scalar).
    public let shape: [Int]
    /// The byte range within the data section.
    public let byteRange: Range<Int>

    /// The number of elements (the product of the shape; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A safetensors file (the format `save_pretrained` writes): an 8-byte little-endian header length, a JSON header of
/// tensor entries (`dtype`, `shape`, `data_offsets`) and `__metadata__`, then the data. Read once into memory and
/// validated as the reference implementation does (`Formats/Safetensors/SPEC.md`): a header above 100 MB or past the
/// end of the file, unknown dtypes, byte counts that disagree with shapes, and ranges that overlap, leave gaps or do
/// not end at the end of the file are refused with an error naming the file and the tensor.
public struct SafetensorsFile: Sendable {
    /// The largest header accepted (the reference implementation's limit).
    public static let maxHeaderBytes = 100_000_000
    /// Element sizes of every dtype the format defines.
    static let elementBytes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8,
    ]

    /// Where the bytes came from (a path, or a name given by the caller), for errors.
    public let location: String
    /// The tensors by name.
    public let tensors: [String: SafetensorsTensorInfo]
    /// The header's `__metadata__` (text to text).
    public let metadata: [String: String]
    private let bytes: [UInt8]
    private let dataStart: Int

    /// Reads and validates a file.
    /// - Parameter path: The file.
    /// - Throws: `SafetensorsError` naming the file (and the tensor) for unreadable or invalid content.
    public init(path: String) throws(SafetensorsError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SafetensorsError(.io, "cannot be read (missing, or not a regular file)", file: path)
        }
        try self.init(bytes: [UInt8](data), location: path)
    }

    /// Validates a file's bytes.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - location: A name for errors.
    /// - Throws: `SafetensorsError` for invalid content.
    public init(bytes: [UInt8], location: String) throws(SafetensorsError) {
        self.location = location
        guard bytes.count >= 8 else {
            throw SafetensorsError(.truncated, "\(bytes.count) bytes: shorter than the 8-byte header length", file: location)
        }
        let length = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= UInt64(Self.maxHeaderBytes) else {
            throw SafetensorsError(.headerTooLarge, "header of \(length) bytes is above the \(Self.maxHeaderBytes)-byte limit", file: location)
        }
        guard length <= UInt64(bytes.count - 8) else {
            throw SafetensorsError(.truncated, "header of \(length) bytes runs past the end of the \(bytes.count)-byte file", file: location)
        }
        let headerEnd = 8 + Int(length)
        let (tensors, metadata) = try Self.parseHeader(bytes[8..<headerEnd], location: location)
        try Self.validate(Array(tensors.values), dataLength: bytes.count - headerEnd, location: location)
        self.tensors = tensors
        self.metadata = metadata
        self.bytes = bytes
        dataStart = headerEnd
    }

    /// Tensor names, sorted.
    public var names: [String] { tensors.keys.sorted() }

    /// A tensor's values as floats (F32 as stored; F16 and BF16 converted exactly).
    /// - Parameters:
    ///   - name: The tensor.
    ///   - shape: The shape the caller expects, or `nil` to accept any.
    /// - Returns: The values, row-major.
    /// - Throws: `.missingTensor`, `.unexpectedShape`, or `.unsupportedDtype` naming the tensor.
    public func floats(_ name: String, shape: [Int]? = nil) throws(SafetensorsError) -> [Float] {
        guard let info = tensors[name] else {
            throw SafetensorsError(.missingTensor, "not in the file (\(tensors.count) tensors)", file: location, tensor: name)
        }
        if let shape, shape != info.shape {
            throw SafetensorsError(.unexpectedShape, "has shape \(info.shape), expected \(shape)", file: location, tensor: name)
        }
        guard let dtype = info.dtype else {
            throw SafetensorsError(.unsupportedDtype, "dtype \(info.dtypeName) is not converted to Float32 (F32, F16, BF16 are)",
                                   file: location, tensor: name)
        }
        let count = info.elementCount
        return [Float](unsafeUninitializedCapacity: count) { output, initialized in
            bytes.withUnsafeBytes { raw in
                let start = dataStart + info.byteRange.lowerBound
                dtype.convert(UnsafeRawBufferPointer(rebasing: raw[start..<start + info.byteRange.count]), count: count,
                              into: output.baseAddress!)
            }
            initialized = count
        }
    }

    /// The header's tensor entries and metadata.
    static func parseHeader(_ header: ArraySlice<UInt8>, location: String)
        throws(SafetensorsError) -> ([String: SafetensorsTensorInfo], [String: String]) {
        func malformed(_ message: String, _ tensor: String? = nil) -> SafetensorsError {
            SafetensorsError(.malformedHeader, message, file: location, tensor: tensor)
        }
        guard header.first == UInt8(ascii: "{") else { throw malformed("the header does not start with '{'") }
        guard String(validating: header, as: UTF8.self) != nil else { throw malformed("the header is not UTF-8") }
        let values: [String: HeaderValue]
        do {
            values = try JSONDecoder().decode([String: HeaderValue].self, from: Data(header))
        } catch {
            throw malformed("the header is not a JSON object: \(error)")
        }
        var tensors: [String: SafetensorsTensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in values {
            if name == "__metadata__" {
                guard case .metadata(let fields) = value else { throw malformed("__metadata__ is not an object of strings") }
                metadata = fields
                continue
            }
            guard case .tensor(let entry) = value else {
                throw malformed("entry is not {\"dtype\": text, \"shape\": [integers], \"data_offsets\": [begin, end]}", name)
            }
            guard let elementBytes = elementBytes[entry.dtype] else {
                throw SafetensorsError(.unsupportedDtype, "unknown dtype '\(entry.dtype)'", file: location, tensor: name)
            }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else { throw malformed("'shape' \(entry.shape) has a negative size", name) }
            let offsets = entry.dataOffsets
            guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw malformed("'data_offsets' \(offsets) is not [begin, end] with 0 ≤ begin ≤ end", name)
            }
            var elements = 1
            for dimension in entry.shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw SafetensorsError(.shapeMismatch, "shape \(entry.shape) overflows", file: location, tensor: name) }
                elements = product
            }
            let (byteCount, overflow) = elements.multipliedReportingOverflow(by: elementBytes)
            guard !overflow, byteCount == offsets[1] - offsets[0] else {
                throw SafetensorsError(.shapeMismatch, "shape \(entry.shape) of \(entry.dtype) needs \(overflow ? "too many" : String(byteCount)) "
                                       + "bytes, data_offsets give \(offsets[1] - offsets[0])", file: location, tensor: name)
            }
            tensors[name] = SafetensorsTensorInfo(name: name, dtypeName: entry.dtype, dtype: SafetensorsDType(rawValue: entry.dtype),
                                                  shape: entry.shape, byteRange: offsets[0]..<offsets[1])
        }
        return (tensors, metadata)
    }

    /// A header entry: a tensor, the metadata object, or something else (refused by the caller, naming the key).
    enum HeaderValue: Decodable {
        /// A tensor entry.
        struct Tensor: Decodable {
            let dtype: String
            let shape: [Int]
            let dataOffsets: [Int]

            enum CodingKeys: String, CodingKey {
                case dtype, shape
                case dataOffsets = "data_offsets"
            }
        }

        case tensor(Tensor)
        case metadata([String: String])
        case other

        init(from decoder: any Decoder) throws {
            if let tensor = try? Tensor(from: decoder) {
                self = .tensor(tensor)
            } else if let fields = try? [String: String](from: decoder) {
                self = .metadata(fields)
            } else {
                self = .other
            }
        }
    }

    /// Ranges must tile the data section: sorted by start, each starting where the previous ended, the last ending
    /// at the end of the file.
    static func validate(_ tensors: [SafetensorsTensorInfo], dataLength: Int, location: String) throws(SafetensorsError) {
        var end = 0
        for info in tensors.sorted(by: { ($0.byteRange.lowerBound, $0.byteRange.upperBound, $0.name) < ($1.byteRange.lowerBound, $1.byteRange.upperBound, $1.name) }) {
            let range = info.byteRange
            guard range.upperBound <= dataLength else {
                throw SafetensorsError(.badOffsets, "bytes \(range.lowerBound)..<\(range.upperBound) lie beyond the \(dataLength)-byte data section",
                                       file: location, tensor: info.name)
            }
            guard range.lowerBound == end else {
                throw SafetensorsError(.badOffsets, range.lowerBound < end
                                       ? "bytes \(range.lowerBound)..<\(range.upperBound) overlap the tensor before it (ending at \(end))"
                                       : "bytes \(range.lowerBound)..<\(range.upperBound) leave a gap after the tensor before it (ending at \(end))",
                                       file: location, tensor: info.name)
            }
            end = range.upperBound
        }
        guard end == dataLength else {
            throw SafetensorsError(.badOffsets, "the tensors cover \(end) of the \(dataLength) data bytes", file: location)
        }
    }
}
