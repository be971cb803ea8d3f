import CZstd

/// Single zstd frames with the content size and an XXH64 content checksum in them, as the format requires.
public enum ZstdFrame {
    /// Compresses bytes into one frame.
    /// - Parameters:
    ///   - bytes: The content.
    ///   - level: zstd compression level (1…19; 3 is zstd's default).
    /// - Returns: The frame.
    /// - Throws: `CacheError` if zstd fails.
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 3) throws(CacheError) -> [UInt8] {
        guard let context = ZSTD_createCCtx() else { throw CacheError(.io, "zstd could not allocate a context") }
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 1)
        let bound = ZSTD_compressBound(bytes.count)
        var result = 0
        let frame = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            result = ZSTD_compress2(context, buffer.baseAddress, bound, bytes.baseAddress, bytes.count)
            count = ZSTD_isError(result) != 0 ? 0 : result
        }
        if ZSTD_isError(result) != 0 {
            throw CacheError(.io, "zstd compression failed: \(String(cString: ZSTD_getErrorName(result)))")
        }
        return frame
    }

    /// The content size a frame declares, checked against a limit before anything is allocated.
    /// - Parameters:
    ///   - frame: The whole frame.
    ///   - limit: The largest acceptable content size.
    /// - Returns: The declared content size.
    /// - Throws: `.corrupt` for a malformed header, a missing size or checksum flag, trailing bytes;
    ///   `.tooLarge` above `limit`.
    public static func contentSize(_ frame: UnsafeRawBufferPointer, limit: Int) throws(CacheError) -> Int {
        // Magic 0xFD2FB528, then the frame header descriptor whose bit 2 is the content-checksum flag (RFC 8878 §3.1.1.1).
        guard frame.count >= 6, frame.loadUnaligned(as: UInt32.self) == UInt32(0xFD2F_B528).littleEndian else {
            throw CacheError(.corrupt, "not a zstd frame (bad magic or too short)")
        }
        guard frame[4] & 0x04 != 0 else { throw CacheError(.corrupt, "zstd frame lacks the required content checksum") }
        let declared = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        guard declared < UInt64.max - 1 else {  // ZSTD_CONTENTSIZE_UNKNOWN (max) and ZSTD_CONTENTSIZE_ERROR (max - 1)
            throw CacheError(.corrupt, "zstd frame header is malformed or does not declare its content size")
        }
        guard declared <= UInt64(limit) else {
            throw CacheError(.tooLarge, "zstd frame declares \(declared) bytes, above the limit of \(limit)")
        }
        let compressedSize = ZSTD_findFrameCompressedSize(frame.baseAddress, frame.count)
        guard ZSTD_isError(compressedSize) == 0, compressedSize == frame.count else {
            throw CacheError(.corrupt, "zstd frame length does not match its record entry")
        }
        return Int(declared)
    }

    /// Decompresses one frame into a new array, verifying its content checksum.
    /// - Parameters:
    ///   - frame: The whole frame.
    ///   - limit: The largest acceptable content size (checked before allocating).
    ///   - context: A reusable decompression context (one per thread), or `nil` for a temporary one.
    /// - Returns: The content.
    /// - Throws: `.corrupt` for damaged frames (checksum mismatch included), `.tooLarge` above `limit`.
    public static func decompress(_ frame: UnsafeRawBufferPointer, limit: Int,
                                  context: DecompressionContext? = nil) throws(CacheError) -> [UInt8] {
        let size = try contentSize(frame, limit: limit)
        let owned = context ?? DecompressionContext()
        var result = 0
        let content = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            result = ZSTD_decompressDCtx(owned.pointer, buffer.baseAddress, size, frame.baseAddress, frame.count)
            count = ZSTD_isError(result) != 0 ? 0 : result
        }
        if ZSTD_isError(result) != 0 {
            throw CacheError(.corrupt, "zstd: \(String(cString: ZSTD_getErrorName(result)))")
        }
        guard result == size else { throw CacheError(.corrupt, "zstd frame produced \(result) bytes, declared \(size)") }
        return content
    }

    /// A zstd decompression context, reusable across calls on one thread at a time.
    public final class DecompressionContext {
        let pointer: OpaquePointer

        /// Allocates a context.
        public init() { pointer = ZSTD_createDCtx() }

        deinit { ZSTD_freeDCtx(pointer) }
    }
}
