#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain POSIX file reads, as a program that keeps images as files would do them.
enum PosixFile {
    /// Reads a whole file: open, fstat, pread into an uninitialised array, close.
    /// - Parameter path: The file.
    /// - Returns: Its bytes.
    /// - Throws: `BenchmarkFailure` on any error.
    static func readAll(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BenchmarkFailure("cannot open \(path)") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw BenchmarkFailure("cannot stat \(path)") }
        let size = Int(info.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            failed = !read(descriptor, into: UnsafeMutableRawBufferPointer(buffer), at: 0)
            count = failed ? 0 : size
        }
        if failed { throw BenchmarkFailure("cannot read \(path)") }
        return bytes
    }

    /// Reads exactly `buffer.count` bytes at `offset`.
    /// - Returns: `false` on an error or a short file.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) -> Bool {
        var done = 0
        while done < buffer.count {
            let got = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if got < 0, errno == EINTR { continue }
            if got <= 0 { return false }
            done += got
        }
        return true
    }
}

/// A read-only file descriptor, closed when the last closure holding it goes.
final class OpenFile {
    /// The descriptor.
    let descriptor: Int32

    /// Opens a file read-only.
    /// - Throws: `BenchmarkFailure` when it cannot be opened.
    init(path: String) throws {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BenchmarkFailure("cannot open \(path)") }
    }

    deinit { close(descriptor) }
}

/// A reusable, uninitialised byte buffer, freed when the last closure holding it goes.
final class ScratchBuffer {
    /// The bytes.
    let bytes: UnsafeMutableRawBufferPointer

    /// Allocates `count` bytes.
    init(count: Int) { bytes = .allocate(byteCount: max(1, count), alignment: 64) }

    deinit { bytes.deallocate() }
}

/// The frame lengths of one record, read from its header (SPEC.md, "Record").
struct RecordLayout {
    /// 20 + 4·K.
    let headerLength: Int
    /// Compressed meta frame length.
    let metaLength: Int
    /// Compressed length of each variant frame.
    let variantLengths: [Int]

    /// Where variant `index`'s frame starts, relative to the record.
    func variantOffset(_ index: Int) -> Int { headerLength + metaLength + variantLengths[..<index].reduce(0, +) }

    /// Reads a record header.
    /// - Parameters:
    ///   - descriptor: The open data file.
    ///   - offset: The record's offset.
    /// - Throws: `BenchmarkFailure` on a short read.
    init(descriptor: Int32, offset: UInt64) throws {
        var fixed = [UInt8](repeating: 0, count: 16)
        guard fixed.withUnsafeMutableBytes({ PosixFile.read(descriptor, into: $0, at: offset) }) else {
            throw BenchmarkFailure("short record header at \(offset)")
        }
        let u32 = { (bytes: [UInt8], at: Int) in (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        let count = Int(fixed[8]) | Int(fixed[9]) << 8
        var lengths = [UInt8](repeating: 0, count: 4 * count)
        guard lengths.withUnsafeMutableBytes({ PosixFile.read(descriptor, into: $0, at: offset + 16) }) else {
            throw BenchmarkFailure("short record header at \(offset)")
        }
        headerLength = 20 + 4 * count
        metaLength = u32(fixed, 4)
        variantLengths = (0..<count).map { u32(lengths, 4 * $0) }
    }
}
