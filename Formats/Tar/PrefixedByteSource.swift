/// A byte source that yields some bytes already read (a peeked prefix) and then the rest of another source.
public struct PrefixedByteSource<Upstream: ByteSource>: ByteSource {
    private var prefix: [UInt8]
    private var prefixPosition = 0
    private var upstream: Upstream

    /// Creates a source yielding `prefix`, then `upstream`.
    /// - Parameters:
    ///   - prefix: Bytes to yield first.
    ///   - upstream: The rest of the stream.
    public init(prefix: [UInt8], upstream: Upstream) {
        self.prefix = prefix
        self.upstream = upstream
    }

    /// Reads from the prefix while it lasts, then from the upstream.
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: The number of bytes read, 0 at the end of the stream.
    /// - Throws: Whatever the upstream throws.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        let remaining = prefix.count - prefixPosition
        if remaining > 0 {
            let count = min(remaining, buffer.count)
            prefix.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + prefixPosition, byteCount: count)
            }
            prefixPosition += count
            return count
        }
        return try upstream.read(into: buffer)
    }
}
