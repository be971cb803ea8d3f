/// Appends little-endian fields to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { append(value) }
    mutating func u32(_ value: UInt32) { append(value) }
    mutating func u64(_ value: UInt64) { append(value) }
    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A u32-length-prefixed UTF-8 string.
    mutating func str32(_ text: String) {
        let utf8 = Array(text.utf8)
        u32(UInt32(utf8.count))
        raw(utf8)
    }

    /// A u16-length-prefixed UTF-8 string (callers ensure it fits).
    mutating func str16(_ text: String) {
        let utf8 = Array(text.utf8)
        u16(UInt16(utf8.count))
        raw(utf8)
    }
}

/// Reads little-endian fields from bytes, failing with `.truncated` or `.corrupt` instead of trapping.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    /// Describes what is being read, for error messages ("meta frame", "index").
    let what: String

    init(_ bytes: UnsafeRawBufferPointer, what: String) {
        self.bytes = bytes
        self.what = what
    }

    var remaining: Int { bytes.count - position }

    mutating func take(_ count: Int) throws(CacheError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw CacheError(.truncated, "\(what) ends at byte \(bytes.count), \(count) more bytes needed at \(position)")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(CacheError) -> T {
        let slice = try take(MemoryLayout<T>.size)
        return T(littleEndian: slice.loadUnaligned(as: T.self))
    }

    mutating func u8() throws(CacheError) -> UInt8 { try integer(UInt8.self) }
    mutating func u16() throws(CacheError) -> UInt16 { try integer(UInt16.self) }
    mutating func u32() throws(CacheError) -> UInt32 { try integer(UInt32.self) }
    mutating func u64() throws(CacheError) -> UInt64 { try integer(UInt64.self) }
    mutating func array(_ count: Int) throws(CacheError) -> [UInt8] { Array(try take(count)) }

    mutating func string(length: Int) throws(CacheError) -> String {
        let slice = try take(length)
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw CacheError(.corrupt, "\(what) holds a string that is not UTF-8 at byte \(position - length)")
        }
        return text
    }

    mutating func str32() throws(CacheError) -> String { try string(length: Int(try u32())) }
    mutating func str16() throws(CacheError) -> String { try string(length: Int(try u16())) }
}

/// `Array.withUnsafeBytes` for a body with typed throws (the standard library's version erases the error type).
/// - Parameters:
///   - bytes: The array to view.
///   - body: Works on the raw bytes.
/// - Returns: What `body` returns.
/// - Throws: What `body` throws.
func withCacheBytes<Result>(_ bytes: [UInt8],
                            _ body: (UnsafeRawBufferPointer) throws(CacheError) -> Result) throws(CacheError) -> Result {
    let outcome: Swift.Result<Result, CacheError> = bytes.withUnsafeBytes { raw in
        do throws(CacheError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try outcome.get()
}
