/// A byte source reading an open file descriptor: a pipe, a socket, standard input, or a file.
public final class FileDescriptorByteSource: ByteSource {
    /// The descriptor read from.
    public let fileDescriptor: Int32
    private let closesOnDeinit: Bool
    private let name: String

    /// Wraps a descriptor.
    /// - Parameters:
    ///   - fileDescriptor: An open, readable descriptor.
    ///   - closesOnDeinit: Whether to close the descriptor when the source goes away.
    ///   - name: A name for error messages, e.g. `"stdin"`.
    public init(fileDescriptor: Int32, closesOnDeinit: Bool = false, name: String = "file descriptor") {
        self.fileDescriptor = fileDescriptor
        self.closesOnDeinit = closesOnDeinit
        self.name = name
    }

    /// Reads with `read(2)`.
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: The number of bytes read, 0 at the end of the stream.
    /// - Throws: `TarError` of kind `.io` when the read fails.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        try POSIXCalls.read(fileDescriptor, into: buffer, what: name)
    }

    deinit {
        if closesOnDeinit { POSIXCalls.closeQuietly(fileDescriptor) }
    }
}
