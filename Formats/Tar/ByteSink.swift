/// A destination for the bytes a `TarWriter` produces: a file, memory, or anything else.
public protocol ByteSink {
    /// Appends bytes.
    /// - Parameter bytes: The bytes to append.
    /// - Throws: `TarError` of kind `.io` when they cannot be written.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(TarError)

    /// Flushes buffered bytes and releases the destination; called once by `TarWriter.finish()`.
    /// - Throws: `TarError` of kind `.io` when flushing or closing fails.
    mutating func close() throws(TarError)
}

/// A sink that collects the bytes in memory.
public struct MemoryByteSink: ByteSink {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty sink.
    public init() {}

    /// Appends bytes to `bytes`.
    /// - Parameter bytes: The bytes to append.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(TarError) {
        self.bytes.append(contentsOf: bytes)
    }

    /// Does nothing: the bytes stay available.
    public mutating func close() throws(TarError) {}
}
