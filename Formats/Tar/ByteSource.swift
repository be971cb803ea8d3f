/// A forward-only stream of bytes: a file, a pipe, a decompressor, or memory.
///
/// `TarReader` pulls bytes through this protocol, so any of these can feed it. Implementations fill as much of the
/// buffer as they conveniently can and return the count; they return 0 only at the end of the stream.
public protocol ByteSource {
    /// Reads the next bytes of the stream.
    /// - Parameter buffer: Where to put the bytes; it is never empty.
    /// - Returns: The number of bytes written to the front of `buffer`, 1…`buffer.count`, or 0 at the end of the stream.
    /// - Throws: `TarError` when the underlying read, decompression or command fails.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int
}

/// A type-erased byte source, so sources of different kinds can be chosen at run time.
public struct AnyByteSource: ByteSource {
    private var base: any ByteSource

    /// Wraps a source.
    /// - Parameter base: The source to read from.
    public init(_ base: some ByteSource) {
        self.base = base
    }

    /// Reads from the wrapped source.
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: The number of bytes read, 0 at the end of the stream.
    /// - Throws: Whatever the wrapped source throws.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        try base.read(into: buffer)
    }
}
