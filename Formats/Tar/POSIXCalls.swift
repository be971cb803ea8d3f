#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the POSIX calls the sources and sinks share, retrying on `EINTR` and turning failures into `TarError`.
enum POSIXCalls {
    /// The current `errno` as text.
    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// `read(2)` into `buffer`, retrying on `EINTR`.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, what: String) throws(TarError) -> Int {
        while true {
            let count = systemRead(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            let code = errno
            if code == EINTR { continue }
            throw TarError(.io, "cannot read \(what): \(errorText(code))")
        }
    }

    /// `write(2)` of all of `bytes`, retrying on `EINTR` and short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, what: String) throws(TarError) {
        var done = 0
        while done < bytes.count {
            let count = systemWrite(fd, bytes.baseAddress! + done, bytes.count - done)
            if count >= 0 {
                done += count
                continue
            }
            let code = errno
            if code == EINTR { continue }
            throw TarError(.io, "cannot write \(what): \(errorText(code))")
        }
    }

    /// `open(2)` with `flags` and `mode`, retrying on `EINTR`.
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) throws(TarError) -> Int32 {
        while true {
            let fd = systemOpen(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            let code = errno
            if code == EINTR { continue }
            throw TarError(.io, "cannot open: \(errorText(code))", archive: path)
        }
    }

    /// `close(2)`, ignoring errors (used on read paths and in deinitialisers).
    static func closeQuietly(_ fd: Int32) {
        _ = systemClose(fd)
    }

    /// `close(2)`, reporting errors (a failed close can mean lost writes).
    static func close(_ fd: Int32, what: String) throws(TarError) {
        if systemClose(fd) != 0 {
            throw TarError(.io, "cannot close \(what): \(errorText(errno))")
        }
    }
}

// Inside `POSIXCalls` the short names mean its own members; these reach the C functions.
#if canImport(Glibc)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Glibc.read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { Glibc.write(fd, buffer, count) }
private func systemClose(_ fd: Int32) -> Int32 { Glibc.close(fd) }
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { Glibc.open(path, flags, mode) }
#elseif canImport(Darwin)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Darwin.read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { Darwin.write(fd, buffer, count) }
private func systemClose(_ fd: Int32) -> Int32 { Darwin.close(fd) }
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { Darwin.open(path, flags, mode) }
#endif
