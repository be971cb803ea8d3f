#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sink writing a file with POSIX `open`/`write`, through a buffer so small headers do not cost a system call each.
public final class FileByteSink: ByteSink {
    /// The file's path.
    public let path: String
    private var fd: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var used = 0

    /// Creates (or truncates) a file for writing, mode 0644 before the umask. A symbolic link at `path` is refused,
    /// never written through.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - bufferSize: How many bytes to collect before each `write(2)`.
    /// - Throws: `TarError` of kind `.io` when the file cannot be created or `path` is a symbolic link.
    public init(path: String, bufferSize: Int = 1 << 18) throws(TarError) {
        self.path = path
        var status = stat()
        if lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK {
            throw TarError(.io, "is a symbolic link (refusing to write through it)", archive: path)
        }
        fd = try POSIXCalls.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o644)
        buffer = .allocate(byteCount: max(bufferSize, 512), alignment: 16)
    }

    deinit {
        if fd >= 0 { POSIXCalls.closeQuietly(fd) }
        buffer.deallocate()
    }

    /// Appends bytes, writing through when they do not fit the buffer.
    /// - Parameter bytes: The bytes to append.
    /// - Throws: `TarError` of kind `.io` when writing fails or the sink is closed.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(TarError) {
        guard fd >= 0 else { throw TarError(.io, "write after close", archive: path) }
        if used + bytes.count > buffer.count { try flush() }
        if bytes.count >= buffer.count {
            try located { () throws(TarError) in try POSIXCalls.writeAll(fd, bytes, what: "file") }
            return
        }
        guard let base = bytes.baseAddress else { return }
        (buffer.baseAddress! + used).copyMemory(from: base, byteCount: bytes.count)
        used += bytes.count
    }

    /// Writes the buffered bytes and closes the file.
    /// - Throws: `TarError` of kind `.io` when writing or closing fails.
    public func close() throws(TarError) {
        guard fd >= 0 else { return }
        try flush()
        let closing = fd
        fd = -1
        try located { () throws(TarError) in try POSIXCalls.close(closing, what: "file") }
    }

    private func flush() throws(TarError) {
        guard used > 0 else { return }
        let pending = UnsafeRawBufferPointer(rebasing: buffer[..<used])
        used = 0
        try located { () throws(TarError) in try POSIXCalls.writeAll(fd, pending, what: "file") }
    }

    private func located(_ body: () throws(TarError) -> Void) throws(TarError) {
        do {
            try body()
        } catch {
            throw error.located(archive: path)
        }
    }
}
