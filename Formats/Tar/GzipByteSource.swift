import CZlib

/// A byte source that inflates a gzip stream read from another source.
///
/// Uses zlib with automatic gzip/zlib header detection (`windowBits` 15 + 32). Concatenated gzip members (as written
/// by `gzip` appending, or `pigz`) are read as one stream; zero padding between or after members is skipped, as
/// GNU gzip and Python do. A stream that ends inside a member, or corrupt data, throws a `TarError` of kind `.decompression`.
public final class GzipByteSource<Upstream: ByteSource>: ByteSource {
    private var upstream: Upstream
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var upstreamEnded = false
    private var inMember = false
    private var ended = false

    /// Wraps a compressed source.
    /// - Parameters:
    ///   - upstream: The gzip-compressed bytes.
    ///   - inputBufferSize: How many compressed bytes to read at a time.
    /// - Throws: `TarError` of kind `.decompression` when zlib cannot be initialised.
    public init(_ upstream: Upstream, inputBufferSize: Int = 1 << 16) throws(TarError) {
        self.upstream = upstream
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: max(inputBufferSize, 64), alignment: 16)
        let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            stream.deallocate()
            throw TarError(.decompression, "gzip: cannot initialise zlib (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    /// Refills the compressed-input buffer when it is empty; returns false at the end of the upstream.
    private func refill() throws(TarError) -> Bool {
        if inputStart < inputEnd { return true }
        if upstreamEnded { return false }
        let count = try upstream.read(into: input)
        if count == 0 {
            upstreamEnded = true
            return false
        }
        inputStart = 0
        inputEnd = count
        return true
    }

    /// Skips zero padding after a member; returns true when another member follows.
    private func nextMemberFollows() throws(TarError) -> Bool {
        while try refill() {
            while inputStart < inputEnd, input[inputStart] == 0 { inputStart += 1 }
            if inputStart < inputEnd { return true }
        }
        return false
    }

    /// Inflates the next bytes.
    /// - Parameter buffer: Where to put the uncompressed bytes.
    /// - Returns: The number of bytes produced, 0 at the end of the last gzip member.
    /// - Throws: `TarError` of kind `.decompression` on corrupt or truncated data; whatever the upstream throws.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        guard !ended, buffer.count > 0 else { return 0 }
        while true {
            if !inMember {
                guard try nextMemberFollows() else {
                    ended = true
                    return 0
                }
                inflateReset(stream)
                inMember = true
            }
            guard try refill() else {
                throw TarError(.decompression, "gzip: unexpected end of compressed stream")
            }
            let available = inputEnd - inputStart
            stream.pointee.next_in = (input.baseAddress! + inputStart).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = UInt32(available)
            stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            let outputSize = UInt32(min(buffer.count, Int(UInt32.max)))
            stream.pointee.avail_out = outputSize
            let status = inflate(stream, Z_NO_FLUSH)
            inputStart += available - Int(stream.pointee.avail_in)
            let produced = Int(outputSize - stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                inMember = false
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                throw TarError(.decompression, "gzip: corrupt data (\(detail))")
            }
            if produced > 0 { return produced }
        }
    }
}
