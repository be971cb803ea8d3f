import CZlib
import Foundation

/// An IDX tensor of unsigned bytes (the format of MNIST and Fashion-MNIST): its shape and its values, row-major.
public struct IDXTensor: Sendable, Hashable {
    /// The dimensions, outermost first (images: count, rows, columns; labels: count).
    public let shape: [Int]
    /// The values, row-major.
    public let values: [UInt8]

    /// The number of items (the first dimension).
    public var count: Int { shape.first ?? 0 }
    /// Values per item (the product of the other dimensions).
    public var itemSize: Int { shape.dropFirst().reduce(1, *) }

    /// The values of one item.
    /// - Parameter index: The item, `0..<count`.
    /// - Returns: `itemSize` values.
    public func item(_ index: Int) -> ArraySlice<UInt8> { values[index * itemSize..<(index + 1) * itemSize] }
}

/// Reads IDX files (`Formats/IDX/SPEC.md`): raw or gzip-compressed (detected from the first bytes), unsigned-byte
/// tensors, big-endian dimensions; anything else is refused with an error naming the file.
public enum IDXReader {
    /// The largest tensor accepted (values), well above Fashion-MNIST's 47 M.
    public static let maxValues = 1 << 30

    /// Reads a file.
    /// - Parameter path: The file (`.gz` or raw).
    /// - Returns: The tensor.
    /// - Throws: `IDXError` naming the file.
    public static func read(path: String) throws(IDXError) -> IDXTensor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IDXError(.io, "cannot be read (missing, or not a regular file)", file: path)
        }
        return try parse([UInt8](data), location: path)
    }

    /// Parses a file's bytes.
    /// - Parameters:
    ///   - bytes: The file, raw or gzip.
    ///   - location: A name for errors.
    /// - Returns: The tensor.
    /// - Throws: `IDXError`.
    public static func parse(_ bytes: [UInt8], location: String) throws(IDXError) -> IDXTensor {
        let raw = bytes.starts(with: [0x1F, 0x8B]) ? try gunzip(bytes, location: location) : bytes
        guard raw.count >= 4, raw[0] == 0, raw[1] == 0 else {
            throw IDXError(.badMagic, "not an IDX file (it must start with two zero bytes, a type code and a dimension count)", file: location)
        }
        guard raw[2] == 0x08 else {
            let names: [UInt8: String] = [0x09: "signed bytes", 0x0B: "16-bit integers", 0x0C: "32-bit integers",
                                          0x0D: "32-bit floats", 0x0E: "64-bit floats"]
            throw IDXError(.unsupportedType, "element type 0x\(String(raw[2], radix: 16)) (\(names[raw[2]] ?? "unknown")); "
                           + "only unsigned bytes (0x08) are read", file: location)
        }
        let dimensions = Int(raw[3])
        guard dimensions >= 1, raw.count >= 4 + 4 * dimensions else {
            throw IDXError(.sizeMismatch, "the header declares \(dimensions) dimension(s) but the file ends at byte \(raw.count)", file: location)
        }
        var shape: [Int] = []
        var total = 1
        for index in 0..<dimensions {
            let offset = 4 + 4 * index
            let size = Int(raw[offset]) << 24 | Int(raw[offset + 1]) << 16 | Int(raw[offset + 2]) << 8 | Int(raw[offset + 3])
            shape.append(size)
            total *= size
            guard total <= maxValues else {
                throw IDXError(.tooLarge, "dimensions \(shape)… exceed \(maxValues) values", file: location)
            }
        }
        let start = 4 + 4 * dimensions
        guard raw.count - start == total else {
            throw IDXError(.sizeMismatch, "dimensions \(shape) need \(total) bytes after the \(start)-byte header, the file has "
                           + "\(raw.count - start)", file: location)
        }
        return IDXTensor(shape: shape, values: Array(raw[start...]))
    }

    /// Inflates a gzip stream (one member, checksum verified by zlib), refusing more than the IDX limit.
    static func gunzip(_ bytes: [UInt8], location: String) throws(IDXError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IDXError(.corruptGzip, "zlib could not start", file: location)
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        var input = bytes
        let failure: IDXError? = input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return target.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else {
                    let detail = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    return IDXError(.corruptGzip, "the gzip stream is damaged near byte \(bytes.count - Int(stream.avail_in)): \(detail)",
                                    file: location)
                }
                output += chunk[0..<produced]
                guard output.count <= maxValues + 4 + 4 * 255 else {
                    return IDXError(.tooLarge, "decompresses to more than \(maxValues) values", file: location)
                }
                if status == Z_OK && produced == 0 && stream.avail_in == 0 {
                    return IDXError(.corruptGzip, "the gzip stream ends early (truncated file)", file: location)
                }
            } while status != Z_STREAM_END
            return stream.avail_in == 0 ? nil
                : IDXError(.corruptGzip, "\(stream.avail_in) bytes follow the gzip stream", file: location)
        }
        if let failure { throw failure }
        return output
    }
}
