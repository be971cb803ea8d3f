import CWebP

/// WebP decoding through libwebp, matching Pillow's `convert('RGB')` / `convert('L')`: alpha is dropped without
/// compositing (the RGB libwebp decodes under transparent pixels is kept), gray is Pillow's luma of the RGB.
/// Lossless files match Pillow exactly; lossy files match within the rounding differences between libwebp releases.
/// Animated files are refused as `.unsupported`.
public enum WebPDecoder: FormatDecoder {
    static let format = ImageFormat.webp

    static func error(_ status: VP8StatusCode, while doing: String) -> ImageCodecError {
        let (kind, reason): (ImageCodecError.Kind, String) = switch status {
        case VP8_STATUS_NOT_ENOUGH_DATA: (.truncated, "data ended early")
        case VP8_STATUS_UNSUPPORTED_FEATURE: (.unsupported, "unsupported feature")
        case VP8_STATUS_OUT_OF_MEMORY: (.corrupt, "out of memory")
        case VP8_STATUS_INVALID_PARAM: (.corrupt, "invalid parameter")
        default: (.corrupt, "bitstream error")
        }
        return ImageCodecError(kind, format: .webp, "libwebp \(doing): \(reason) (status \(status.rawValue))")
    }

    private static func features(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> WebPBitstreamFeatures {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw ImageCodecError(.empty, format: .webp, "no bytes") }
        var features = WebPBitstreamFeatures()
        let status = WebPGetFeatures(base.assumingMemoryBound(to: UInt8.self), bytes.count, &features)
        guard status == VP8_STATUS_OK else { throw error(status, while: "reading the header") }
        return features
    }

    /// Reads the WebP header (RIFF, VP8/VP8L/VP8X).
    /// - Parameter bytes: The whole WebP file.
    /// - Returns: Format, size and stored channels (3, or 4 with alpha).
    /// - Throws: `ImageCodecError` when the header is malformed or missing.
    static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        let header = try features(bytes)
        return ImageInfo(format: .webp, width: Int(header.width), height: Int(header.height),
                         storedChannels: header.has_alpha != 0 ? 4 : 3)
    }

    /// Decodes a still WebP (the whole image, then the requested region is cropped).
    /// - Parameters:
    ///   - bytes: The whole WebP file.
    ///   - options: Mode, pixel limit and region (`minimumSize` is ignored).
    /// - Returns: Pixels at full resolution.
    /// - Throws: `ImageCodecError`: `.truncated` when the data ends early, `.corrupt` for bitstream errors,
    ///   `.unsupported` for animations, `.tooLarge` above the pixel limit (checked before allocating),
    ///   `.invalidArgument` for a bad region.
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> DecodedImage {
        try decodeThenCrop(bytes, options: options) { (bytes, options) throws(ImageCodecError) -> Image in
            try decodeFull(bytes, mode: options.mode, options: options)
        }
    }

    private static func decodeFull(_ bytes: UnsafeRawBufferPointer, mode: ColorMode,
                                   options: DecodeOptions) throws(ImageCodecError) -> Image {
        let header = try features(bytes)
        guard header.has_animation == 0 else {
            throw ImageCodecError(.unsupported, format: .webp, "animated WebP is not decoded")
        }
        let width = Int(header.width), height = Int(header.height)
        try checkDimensions(width: width, height: height, options: options)
        let pixelCount = width * height
        var status = VP8_STATUS_OK
        let rgb = [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { buffer, count in
            status = decodeRGB(bytes, into: buffer, width: width, height: height)
            count = pixelCount * 3
        }
        guard status == VP8_STATUS_OK else { throw error(status, while: "decoding") }
        if mode == .rgb { return Image(width: width, height: height, channels: 3, pixels: rgb) }
        let gray = [UInt8](unsafeUninitializedCapacity: pixelCount) { buffer, count in
            rgb.withUnsafeBufferPointer { source in
                PillowConversion.convert(source.baseAddress!, sourceChannels: 3, to: .gray,
                                         into: buffer.baseAddress!, pixelCount: pixelCount)
            }
            count = pixelCount
        }
        return Image(width: width, height: height, channels: 1, pixels: gray)
    }

    /// Decodes straight into caller memory as packed RGB (libwebp drops alpha without touching RGB).
    private static func decodeRGB(_ bytes: UnsafeRawBufferPointer, into buffer: UnsafeMutableBufferPointer<UInt8>,
                                  width: Int, height: Int) -> VP8StatusCode {
        var config = WebPDecoderConfig()
        guard WebPInitDecoderConfig(&config) != 0 else { return VP8_STATUS_INVALID_PARAM }
        config.output.colorspace = MODE_RGB
        config.output.is_external_memory = 1
        config.output.u.RGBA.rgba = buffer.baseAddress
        config.output.u.RGBA.stride = Int32(width * 3)
        config.output.u.RGBA.size = buffer.count
        let status = WebPDecode(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.count, &config)
        WebPFreeDecBuffer(&config.output)
        if status == VP8_STATUS_OK && (config.output.width != Int32(width) || config.output.height != Int32(height)) {
            return VP8_STATUS_BITSTREAM_ERROR
        }
        return status
    }
}
