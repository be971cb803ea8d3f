/// A byte source over bytes already in memory.
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    /// Creates a source that yields `bytes`.
    /// - Parameter bytes: The whole stream.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies the next bytes.
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: The number of bytes copied, 0 when all bytes have been read.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.baseAddress!.copyMemory(from: all.baseAddress! + position, byteCount: count)
        }
        position += count
        return count
    }
}
