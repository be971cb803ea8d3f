/// Constants of the cache shard format (SPEC.md).
public enum CacheFormat {
    /// Data file magic `SGIDCACH`.
    static let fileMagic: [UInt8] = Array("SGIDCACH".utf8)
    /// Data file header length.
    static let fileHeaderLength = 16
    /// Record magic `SGRC`.
    static let recordMagic: [UInt8] = Array("SGRC".utf8)
    /// Index magic `SGIDIDX1`.
    static let indexMagic: [UInt8] = Array("SGIDIDX1".utf8)
    /// The format version this code writes and reads.
    public static let version: UInt16 = 1
    /// Most variants per record.
    public static let maxVariants = 1024
    /// Largest meta frame, compressed or not.
    public static let maxMetaBytes = 16 << 20
    /// Largest compressed variant frame.
    public static let maxVariantFrameBytes = 512 << 20
    /// Largest variant content.
    public static let maxVariantBytes = 1 << 30
    /// Data file extension.
    public static let dataExtension = "sgidc"
    /// Index file extension.
    public static let indexExtension = "sgidx"

    /// The data file header bytes.
    static var fileHeader: [UInt8] {
        var writer = ByteWriter()
        writer.raw(fileMagic)
        writer.u16(version)
        writer.u16(0)
        writer.u32(CRC32.checksum(writer.bytes))
        return writer.bytes
    }

    /// Checks a data file header.
    /// - Parameter bytes: The first 16 bytes.
    /// - Throws: `.corrupt` for a bad magic, checksum or version.
    static func checkFileHeader(_ bytes: UnsafeRawBufferPointer) throws(CacheError) {
        guard bytes.count >= fileHeaderLength else { throw CacheError(.truncated, "file header is incomplete", offset: 0) }
        guard Array(bytes[0..<8]) == fileMagic else { throw CacheError(.corrupt, "not a cache shard (bad magic)", offset: 0) }
        var reader = ByteReader(bytes, what: "file header")
        _ = try reader.take(8)
        let version = try reader.u16()
        _ = try reader.u16()
        let stored = try reader.u32()
        guard stored == CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<12])) else {
            throw CacheError(.corrupt, "file header checksum mismatch", offset: 0)
        }
        guard version == self.version else {
            throw CacheError(.corrupt, "format version \(version) is not supported (this build reads \(self.version))", offset: 0)
        }
    }
}
