/// Netpbm decoding (P1–P6, ASCII and binary, any maxval) in Swift, identical to Pillow's `convert('RGB')` /
/// `convert('L')`. Pillow's rules: samples with maxval ≠ 255 are rescaled as `round(v / maxval * 255)` (Python's
/// round-half-even); gray with maxval > 255 opens as 32-bit `I` (rescaled to 0…65535, or kept as is for maxval 65535)
/// and converting clamps to 255; bitmaps map 1 to black and 0 to white.
public enum PNMDecoder: FormatDecoder {
    static let format = ImageFormat.pnm

    /// Reads the header.
    /// - Parameter bytes: The whole file.
    /// - Returns: Format, size and stored channels (3 for P3/P6, else 1).
    /// - Throws: `ImageCodecError` when the header is cut short or malformed.
    static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        let header = try PNMHeader(bytes)
        return ImageInfo(format: .pnm, width: header.width, height: header.height, storedChannels: header.bands)
    }

    /// Decodes a PNM (the whole image, then the requested region is cropped).
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - options: Mode, pixel limit and region (`minimumSize` is ignored).
    /// - Returns: Pixels at full resolution.
    /// - Throws: `ImageCodecError`: `.truncated` when samples run out, `.corrupt` for malformed headers or tokens
    ///   (values above maxval, non-digits), `.tooLarge` above the pixel limit (checked before allocating),
    ///   `.invalidArgument` for a bad region.
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> DecodedImage {
        try decodeThenCrop(bytes, options: options) { (bytes, options) throws(ImageCodecError) -> Image in
            try decodeFull(bytes, options: options)
        }
    }

    private static func decodeFull(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> Image {
        let header = try PNMHeader(bytes)
        let width = header.width, height = header.height
        try checkDimensions(width: width, height: height, options: options)
        let sampleCount = width * height * header.bands
        var samples = [UInt8](repeating: 0, count: sampleCount)
        try samples.withUnsafeMutableBufferPointer { (target) throws(ImageCodecError) in
            let data = UnsafeRawBufferPointer(rebasing: bytes[min(header.dataOffset, bytes.count)...])
            switch header.kind {
            case 1: try PNMSamples.plainBitmap(data, into: target)
            case 2, 3: try PNMSamples.plain(data, header: header, into: target)
            case 4: try PNMSamples.binaryBitmap(data, width: width, height: height, into: target)
            default: try PNMSamples.binary(data, header: header, into: target)
            }
        }
        let pixelCount = width * height
        if (header.bands == 1 && options.mode == .gray) || (header.bands == 3 && options.mode == .rgb) {
            return Image(width: width, height: height, channels: header.bands, pixels: samples)
        }
        let pixels = [UInt8](unsafeUninitializedCapacity: pixelCount * options.mode.channels) { buffer, count in
            samples.withUnsafeBufferPointer { source in
                PillowConversion.convert(source.baseAddress!, sourceChannels: header.bands, to: options.mode,
                                         into: buffer.baseAddress!, pixelCount: pixelCount)
            }
            count = pixelCount * options.mode.channels
        }
        return Image(width: width, height: height, channels: options.mode.channels, pixels: pixels)
    }
}
