/// The buffered front of a byte source that the tar reader consumes: exact-size reads and skips, counting the
/// stream offset. Large reads bypass the buffer and go straight from the source into the destination.
final class ArchiveInput {
    private var source: AnyByteSource
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var ended = false
    /// How many bytes of the stream have been consumed.
    private(set) var offset: Int64 = 0
    /// How many bytes the last `read(into:)` had filled when its source failed (what a cut `pipe:` still delivered).
    private(set) var filledBeforeFailure = 0

    /// Wraps a source with a read buffer of `bufferSize` bytes.
    init(_ source: AnyByteSource, bufferSize: Int) {
        self.source = source
        buffer = .allocate(byteCount: max(bufferSize, TarHeader.blockSize), alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// Refills the buffer when it is empty; returns false at the end of the stream.
    private func refill() throws(TarError) -> Bool {
        if start < end { return true }
        if ended { return false }
        start = 0
        end = try source.read(into: buffer)
        if end == 0 { ended = true }
        return end > 0
    }

    /// Fills `destination` completely unless the stream ends first.
    /// - Returns: The number of bytes read; less than `destination.count` only at the end of the stream.
    /// - Throws: The source's error; `filledBeforeFailure` then says how much of `destination` was filled.
    func read(into destination: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        var filled = 0
        do throws(TarError) {
            try fill(destination, from: &filled)
        } catch {
            filledBeforeFailure = filled
            throw error
        }
        return filled
    }

    /// The loop of `read(into:)`, counting in `filled`.
    private func fill(_ destination: UnsafeMutableRawBufferPointer, from filled: inout Int) throws(TarError) {
        while filled < destination.count {
            let buffered = end - start
            if buffered > 0 {
                let count = min(buffered, destination.count - filled)
                (destination.baseAddress! + filled).copyMemory(from: buffer.baseAddress! + start, byteCount: count)
                start += count
                filled += count
                offset += Int64(count)
                continue
            }
            if ended { break }
            let wanted = destination.count - filled
            if wanted >= buffer.count {
                let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: destination[filled...]))
                if count == 0 {
                    ended = true
                    break
                }
                filled += count
                offset += Int64(count)
            } else if try !refill() {
                break
            }
        }
    }

    /// Discards the next `count` bytes unless the stream ends first.
    /// - Returns: The number of bytes discarded.
    func skip(_ count: Int64) throws(TarError) -> Int64 {
        var skipped: Int64 = 0
        while skipped < count {
            guard try refill() else { break }
            let step = min(Int64(end - start), count - skipped)
            start += Int(step)
            skipped += step
            offset += step
        }
        return skipped
    }

    /// Reads and discards everything up to the end of the stream (so a command feeding it can finish and be checked).
    func drain() throws(TarError) {
        while try refill() {
            offset += Int64(end - start)
            start = end
        }
    }
}
