import CZstd

/// A byte source that decompresses a zstd stream read from another source.
///
/// Uses `ZSTD_decompressStream`; several concatenated frames (and skippable frames) are read as one stream. Frames
/// whose window exceeds `maxWindowLog` are refused (decompression-bomb guard). A stream that ends inside a frame, or
/// corrupt data, throws a `TarError` of kind `.decompression`.
public final class ZstdByteSource<Upstream: ByteSource>: ByteSource {
    private var upstream: Upstream
    private let context: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var upstreamEnded = false
    private var frameComplete = true

    /// Wraps a compressed source.
    /// - Parameters:
    ///   - upstream: The zstd-compressed bytes.
    ///   - maxWindowLog: The largest window (log2 of bytes) a frame may ask for; 27 (128 MiB) is zstd's default.
    /// - Throws: `TarError` of kind `.decompression` when the zstd context cannot be created.
    public init(_ upstream: Upstream, maxWindowLog: Int32 = 27) throws(TarError) {
        self.upstream = upstream
        guard let context = ZSTD_createDStream() else {
            throw TarError(.decompression, "zstd: cannot create a decompression context")
        }
        ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, maxWindowLog)
        self.context = context
        input = .allocate(byteCount: Int(ZSTD_DStreamInSize()), alignment: 16)
    }

    deinit {
        ZSTD_freeDStream(context)
        input.deallocate()
    }

    /// Decompresses the next bytes.
    /// - Parameter buffer: Where to put the uncompressed bytes.
    /// - Returns: The number of bytes produced, 0 at the end of the last frame.
    /// - Throws: `TarError` of kind `.decompression` on corrupt or truncated data; whatever the upstream throws.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inputStart == inputEnd, !upstreamEnded {
                let count = try upstream.read(into: input)
                if count == 0 {
                    upstreamEnded = true
                } else {
                    inputStart = 0
                    inputEnd = count
                }
            }
            var inBuffer = ZSTD_inBuffer(src: input.baseAddress! + inputStart, size: inputEnd - inputStart, pos: 0)
            var outBuffer = ZSTD_outBuffer(dst: buffer.baseAddress!, size: buffer.count, pos: 0)
            if upstreamEnded, inBuffer.size == 0 {
                // No more input: flush whatever the decoder still holds, then require a complete frame.
                if !frameComplete {
                    let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                    if ZSTD_isError(result) != 0 { throw Self.failure(result) }
                    if outBuffer.pos > 0 { return outBuffer.pos }
                    throw TarError(.decompression, "zstd: unexpected end of compressed stream")
                }
                return 0
            }
            let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
            if ZSTD_isError(result) != 0 { throw Self.failure(result) }
            inputStart += inBuffer.pos
            frameComplete = result == 0
            if outBuffer.pos > 0 { return outBuffer.pos }
        }
    }

    private static func failure(_ code: Int) -> TarError {
        TarError(.decompression, "zstd: \(String(cString: ZSTD_getErrorName(code)))")
    }
}
