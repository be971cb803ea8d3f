#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How every `sgid` command writes a file: never through a symbolic link, never half-written.
///
/// `create` makes a new file and refuses one that exists (`O_CREAT | O_EXCL | O_NOFOLLOW`: a pre-placed symlink or an
/// earlier output is an error, not overwritten). `replace` writes a temporary file beside the destination the same
/// way and renames it over the destination (a reader sees the old or the new file, never a mix); a destination that is
/// a symbolic link is refused rather than followed.
enum OutputFile {
    /// Why writing failed.
    struct Failure: Error, CustomStringConvertible {
        /// The path that could not be written.
        let path: String
        /// What went wrong.
        let reason: String
        /// Whether the file already existed (`create` only).
        let exists: Bool
        /// `"cannot write <path>: <reason>"`.
        var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes a new file; an existing file or symbolic link at `path` is an error.
    /// - Parameters:
    ///   - bytes: The content.
    ///   - path: Where.
    /// - Throws: `Failure` (with `exists` set when something is already there).
    static func create(_ bytes: some ContiguousBytes, at path: String) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            throw Failure(path: path, reason: code == EEXIST ? "it already exists (not overwritten)" : String(cString: strerror(code)),
                          exists: code == EEXIST)
        }
        do throws(Failure) {
            try writeAll(bytes, to: descriptor, path: path)
        } catch {
            close(descriptor)
            unlink(path)
            throw error
        }
        close(descriptor)
    }

    /// Writes `path` atomically through a temporary file beside it; a symbolic link at `path` is refused.
    /// - Parameters:
    ///   - bytes: The content.
    ///   - path: Where.
    /// - Throws: `Failure`.
    static func replace(_ bytes: some ContiguousBytes, at path: String) throws(Failure) {
        var status = stat()
        if lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK {
            throw Failure(path: path, reason: "it is a symbolic link (refusing to write through it)", exists: true)
        }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        try create(bytes, at: temporary)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(path: path, reason: reason, exists: false)
        }
    }

    private static func writeAll(_ bytes: some ContiguousBytes, to descriptor: Int32, path: String) throws(Failure) {
        let failure: Failure? = bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let wrote = write(descriptor, raw.baseAddress! + done, raw.count - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    return Failure(path: path, reason: String(cString: strerror(errno)), exists: false)
                }
                done += wrote
            }
            return nil
        }
        if let failure { throw failure }
    }
}
