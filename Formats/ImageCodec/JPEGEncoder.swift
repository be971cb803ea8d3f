import CodecShims

/// Encodes images as baseline (or progressive) JPEG through libjpeg-turbo.
public enum JPEGEncoder {
    /// Chroma subsampling for colour JPEGs.
    public enum Subsampling: Int, Sendable, Codable {
        /// No subsampling.
        case s444 = 0
        /// Half horizontal chroma resolution.
        case s422 = 1
        /// Half horizontal and vertical chroma resolution (Pillow's default).
        case s420 = 2
    }

    /// Encodes a gray or RGB image (an RGBA image is refused: JPEG has no alpha).
    /// - Parameters:
    ///   - image: 1 or 3 channels.
    ///   - quality: 1...100 (libjpeg's scale; Pillow's default is 75).
    ///   - subsampling: Chroma subsampling for RGB (ignored for gray).
    ///   - progressive: Write a progressive JPEG.
    /// - Returns: The JPEG file's bytes.
    /// - Throws: `ImageCodecError` with kind `.invalidArgument` for bad parameters or `.encodingFailed`.
    public static func encode(_ image: Image, quality: Int = 90, subsampling: Subsampling = .s420,
                              progressive: Bool = false) throws(ImageCodecError) -> [UInt8] {
        guard image.channels == 1 || image.channels == 3 else {
            throw ImageCodecError(.invalidArgument, format: .jpeg, "JPEG encodes 1 or 3 channels, not \(image.channels)")
        }
        guard (1...100).contains(quality) else {
            throw ImageCodecError(.invalidArgument, format: .jpeg, "quality \(quality) is outside 1...100")
        }
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(SGID_MESSAGE_CAPACITY))
        let code = image.pixels.withUnsafeBufferPointer {
            sgid_jpeg_encode($0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                             Int32(quality), Int32(subsampling.rawValue), progressive ? 1 : 0, &output, &size, &message)
        }
        defer { sgid_free(output) }
        guard code == SGID_OK, let output else {
            throw ImageCodecError(code == SGID_ERR_ARGUMENT ? .invalidArgument : .encodingFailed, format: .jpeg,
                                  shimMessage(message))
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
