import CodecShims

/// Encodes 8-bit images as PNG through libpng (non-interlaced, adaptive filtering).
public enum PNGEncoder {
    /// zlib's default compression level, the one Pillow uses when none is given.
    public static let defaultCompressionLevel = 6

    /// Encodes a gray (1 channel), RGB (3) or RGBA (4) image as an 8-bit PNG of the matching colour type.
    /// - Parameters:
    ///   - image: The pixels.
    ///   - compressionLevel: zlib level 0 (store) ... 9 (smallest); pixels are identical at every level.
    /// - Returns: The PNG file's bytes.
    /// - Throws: `ImageCodecError` with kind `.invalidArgument` for an empty image or a level outside 0...9,
    ///   `.encodingFailed` when libpng fails.
    public static func encode(_ image: Image,
                              compressionLevel: Int = defaultCompressionLevel) throws(ImageCodecError) -> [UInt8] {
        guard image.width > 0, image.height > 0, image.width < 1 << 31, image.height < 1 << 31 else {
            throw ImageCodecError(.invalidArgument, format: .png, "cannot encode a \(image.width)x\(image.height) image")
        }
        guard (0...9).contains(compressionLevel) else {
            throw ImageCodecError(.invalidArgument, format: .png, "compression level \(compressionLevel) is outside 0...9")
        }
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(SGID_MESSAGE_CAPACITY))
        let code = image.pixels.withUnsafeBufferPointer {
            sgid_png_encode($0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                            Int32(compressionLevel), &output, &size, &message)
        }
        defer { sgid_free(output) }
        guard code == SGID_OK, let output else {
            throw ImageCodecError(code == SGID_ERR_ARGUMENT ? .invalidArgument : .encodingFailed, format: .png,
                                  shimMessage(message))
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
