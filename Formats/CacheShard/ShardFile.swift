#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened with POSIX calls: positioned reads, appends, fsync, truncation and advisory locks,
/// each failure reported as a `CacheError` naming the path and `strerror`.
final class ShardFile: @unchecked Sendable {
    let path: String
    let descriptor: Int32

    /// How a file is opened.
    enum Mode {
        /// Read-only.
        case read
        /// Read-write, created when missing.
        case write
        /// Read-write, newly created: an existing file is an error.
        case create
    }

    /// Opens a file. A writable open never follows a symbolic link (`O_NOFOLLOW`): a link planted where a shard,
    /// index or lock file belongs is refused, so nothing outside the cache is ever written through it.
    /// - Parameters:
    ///   - path: The file.
    ///   - mode: How to open it.
    /// - Throws: `.notFound`, or `.io` (naming a refused symbolic link).
    init(path: String, mode: Mode) throws(CacheError) {
        self.path = path
        let flags = switch mode {
        case .read: O_RDONLY | O_CLOEXEC
        case .write: O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC
        case .create: O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        }
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP { throw CacheError(.io, "is a symbolic link (refusing to write through it)", path: path) }
            throw CacheError(code == ENOENT ? .notFound : .io, "cannot open: \(String(cString: strerror(code)))", path: path)
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func failure(_ what: String, offset: UInt64? = nil) -> CacheError {
        CacheError(.io, "\(what) failed: \(String(cString: strerror(errno)))", path: path, offset: offset)
    }

    /// The file's current size.
    func size() throws(CacheError) -> UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure("fstat") }
        return UInt64(info.st_size)
    }

    /// Reads exactly `count` bytes at `offset` into a buffer.
    /// - Throws: `.truncated` when the file ends first, `.io` on errors.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(CacheError) {
        var done = 0
        while done < buffer.count {
            let got = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if got < 0 {
                if errno == EINTR { continue }
                throw failure("pread", offset: offset)
            }
            if got == 0 {
                throw CacheError(.truncated, "file ends at byte \(offset + UInt64(done)), \(buffer.count - done) more bytes expected",
                                 path: path, offset: offset)
            }
            done += got
        }
    }

    /// Reads exactly `count` bytes at `offset`.
    /// - Returns: The bytes.
    /// - Throws: `.truncated` when the file ends first, `.io` on errors.
    func read(count: Int, at offset: UInt64) throws(CacheError) -> [UInt8] {
        var outcome: CacheError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(CacheError) {
                try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
                initialized = count
            } catch {
                outcome = error
                initialized = 0
            }
        }
        if let outcome { throw outcome }
        return bytes
    }

    /// Writes all bytes at `offset`.
    func write(_ bytes: [UInt8], at offset: UInt64) throws(CacheError) {
        var done = 0
        var outcome: CacheError?
        bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let wrote = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(offset) + off_t(done))
                if wrote < 0 {
                    if errno == EINTR { continue }
                    outcome = failure("pwrite", offset: offset)
                    return
                }
                done += wrote
            }
        }
        if let outcome { throw outcome }
    }

    /// Flushes the file's data and metadata to stable storage.
    func sync() throws(CacheError) {
        guard fsync(descriptor) == 0 else { throw failure("fsync") }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: UInt64) throws(CacheError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw failure("ftruncate", offset: length) }
    }

    /// Takes an exclusive advisory lock without waiting.
    /// - Returns: `false` when another process holds it.
    func tryLock() throws(CacheError) -> Bool {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw failure("flock")
    }

    /// Releases an advisory lock taken with `tryLock`.
    func unlock() { _ = flock(descriptor, LOCK_UN) }

    /// fsyncs a directory so a rename inside it is durable.
    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Renames a file atomically.
    static func rename(_ from: String, to: String) throws(CacheError) {
        guard Glibc.rename(from, to) == 0 else {
            throw CacheError(.io, "rename to \(to) failed: \(String(cString: strerror(errno)))", path: from)
        }
    }
}
