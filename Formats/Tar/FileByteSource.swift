#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte source reading a file with POSIX `open`/`read`; the file is closed when the source goes away.
///
/// The reader asks for large chunks (64 KiB and more, whole members when they are big), so each call is one `read(2)`.
public final class FileByteSource: ByteSource {
    /// The file's path.
    public let path: String
    private let fd: Int32

    /// Opens a file for reading.
    /// - Parameter path: The file's path.
    /// - Throws: `TarError` of kind `.io` when the file cannot be opened.
    public init(path: String) throws(TarError) {
        self.path = path
        self.fd = try POSIXCalls.open(path, O_RDONLY)
    }

    /// Reads the next bytes of the file.
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: The number of bytes read, 0 at the end of the file.
    /// - Throws: `TarError` of kind `.io` when the read fails.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        do {
            return try POSIXCalls.read(fd, into: buffer, what: "file")
        } catch {
            throw error.located(archive: path)
        }
    }

    deinit {
        POSIXCalls.closeQuietly(fd)
    }
}
