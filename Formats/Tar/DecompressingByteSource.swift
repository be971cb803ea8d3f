/// The compression of an archive stream, recognised from its first bytes.
public enum StreamCompression: Sendable, Equatable {
    /// No compression (or one this module does not recognise; the tar reader then judges the bytes).
    case none
    /// gzip, magic `1f 8b`.
    case gzip
    /// zstd, magic `28 b5 2f fd`.
    case zstd

    /// Recognises the compression from the first bytes of a stream.
    /// - Parameter magic: Up to the first four bytes of the stream.
    /// - Returns: The compression those bytes announce.
    public static func detect(_ magic: some Collection<UInt8>) -> StreamCompression {
        let bytes = Array(magic.prefix(4))
        if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b { return .gzip }
        if bytes == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
        return .none
    }
}

/// A byte source that looks at the first bytes of another source and decompresses it when it is gzip or zstd,
/// so `.tar`, `.tar.gz`/`.tgz` and `.tar.zst` streams all read the same way whatever their names say.
public struct DecompressingByteSource: ByteSource {
    /// The compression recognised.
    public let compression: StreamCompression
    private var base: AnyByteSource

    /// Peeks at `upstream` and wraps it in the right decompressor.
    /// - Parameter upstream: The possibly compressed bytes.
    /// - Throws: Whatever the upstream throws while its first bytes are read; `.decompression` when a decoder cannot start.
    public init<Upstream: ByteSource>(_ upstream: Upstream) throws(TarError) {
        var upstream = upstream
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
        defer { scratch.deallocate() }
        var filled = 0
        while filled < 4 {
            let count = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled...]))
            if count == 0 { break }
            filled += count
        }
        let magic = Array(scratch[..<filled])
        let restored = PrefixedByteSource(prefix: magic, upstream: upstream)
        compression = StreamCompression.detect(magic)
        switch compression {
        case .none: base = AnyByteSource(restored)
        case .gzip: base = AnyByteSource(try GzipByteSource(restored))
        case .zstd: base = AnyByteSource(try ZstdByteSource(restored))
        }
    }

    /// Reads decompressed bytes.
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: The number of bytes read, 0 at the end of the stream.
    /// - Throws: Whatever the decompressor or the upstream throws.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        try base.read(into: buffer)
    }
}
