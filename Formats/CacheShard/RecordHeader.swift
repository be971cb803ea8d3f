/// The fixed part of a record: frame lengths and checksums (SPEC.md, "Record").
public struct RecordHeader: Sendable, Hashable {
    /// Compressed length of the meta frame.
    public var metaLength: Int
    /// Compressed length of each variant frame.
    public var variantLengths: [Int]
    /// CRC-32 of all frame bytes of the record.
    public var framesChecksum: UInt32

    /// Bytes of the header itself: 20 + 4·K.
    public var headerLength: Int { 20 + 4 * variantLengths.count }
    /// Bytes of the whole record.
    public var recordLength: Int { headerLength + metaLength + variantLengths.reduce(0, +) }

    /// Where variant `index`'s frame starts, relative to the record's start.
    /// - Parameter index: The variant number.
    /// - Returns: The offset.
    public func variantOffset(_ index: Int) -> Int {
        headerLength + metaLength + variantLengths[..<index].reduce(0, +)
    }

    /// The header's bytes.
    var encoded: [UInt8] {
        var writer = ByteWriter()
        writer.raw(CacheFormat.recordMagic)
        writer.u32(UInt32(metaLength))
        writer.u16(UInt16(variantLengths.count))
        writer.u16(0)
        writer.u32(framesChecksum)
        for length in variantLengths { writer.u32(UInt32(length)) }
        writer.u32(CRC32.checksum(writer.bytes))
        return writer.bytes
    }

    /// How many bytes must be read to know the whole header, given its first 12 bytes (which hold K).
    /// - Parameter prefix: At least the first 12 bytes of a record.
    /// - Returns: The header length.
    /// - Throws: `.corrupt` for a bad magic or variant count; `.truncated` if fewer than 12 bytes.
    static func headerLength(prefix: UnsafeRawBufferPointer) throws(CacheError) -> Int {
        guard prefix.count >= 12 else { throw CacheError(.truncated, "record header is incomplete") }
        guard Array(prefix[0..<4]) == CacheFormat.recordMagic else {
            throw CacheError(.corrupt, "record magic is missing (expected SGRC)")
        }
        let count = Int(UInt16(littleEndian: prefix.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
        guard count <= CacheFormat.maxVariants else {
            throw CacheError(.tooLarge, "record declares \(count) variants, above the limit of \(CacheFormat.maxVariants)")
        }
        return 20 + 4 * count
    }

    /// Parses and checks a whole header.
    /// - Parameter bytes: At least `headerLength(prefix:)` bytes starting at the record.
    /// - Returns: The header.
    /// - Throws: `.corrupt` for checksum or field errors, `.tooLarge` beyond the format limits, `.truncated` if short.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CacheError) -> RecordHeader {
        let length = try headerLength(prefix: bytes)
        guard bytes.count >= length else { throw CacheError(.truncated, "record header is incomplete") }
        var reader = ByteReader(bytes, what: "record header")
        _ = try reader.take(4)
        let metaLength = Int(try reader.u32())
        let count = Int(try reader.u16())
        let reserved = try reader.u16()
        let framesChecksum = try reader.u32()
        var lengths: [Int] = []
        lengths.reserveCapacity(count)
        for _ in 0..<count { lengths.append(Int(try reader.u32())) }
        let stored = try reader.u32()
        guard stored == CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<length - 4])) else {
            throw CacheError(.corrupt, "record header checksum mismatch")
        }
        guard reserved == 0 else { throw CacheError(.corrupt, "record header reserved field is \(reserved), not 0") }
        guard metaLength > 0, metaLength <= CacheFormat.maxMetaBytes else {
            throw CacheError(.tooLarge, "meta frame length \(metaLength) is outside 1...\(CacheFormat.maxMetaBytes)")
        }
        for (index, length) in lengths.enumerated() where length <= 0 || length > CacheFormat.maxVariantFrameBytes {
            throw CacheError(.tooLarge, "variant \(index) frame length \(length) is outside 1...\(CacheFormat.maxVariantFrameBytes)")
        }
        return RecordHeader(metaLength: metaLength, variantLengths: lengths, framesChecksum: framesChecksum)
    }
}
