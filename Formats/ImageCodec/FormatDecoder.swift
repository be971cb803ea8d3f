/// One encoded format's decoder. Each format has one conforming type (`JPEGDecoder`, `PNGDecoder`, …);
/// `ImageDecoder` sniffs the magic bytes and dispatches.
protocol FormatDecoder {
    /// The format this decoder reads.
    static var format: ImageFormat { get }

    /// Reads the dimensions and stored channel count without decoding pixels.
    /// - Parameter bytes: The whole encoded file.
    /// - Returns: What the file declares.
    /// - Throws: `ImageCodecError` when the header is missing or malformed.
    static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo

    /// Decodes pixels as Pillow would (`convert('RGB')` / `convert('L')`), honouring the region, limit and fast-mode options.
    /// - Parameters:
    ///   - bytes: The whole encoded file.
    ///   - options: Mode, limits, region and fast-mode size.
    /// - Returns: The pixels and the geometry they were decoded at.
    /// - Throws: `ImageCodecError` for malformed, truncated, unsupported or oversized input.
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> DecodedImage
}

extension FormatDecoder {
    /// Refuses images whose declared size exceeds the limit, before any pixel memory is allocated.
    /// - Parameters:
    ///   - width: Declared width.
    ///   - height: Declared height.
    ///   - options: Holds the limit.
    /// - Throws: `ImageCodecError.Kind.tooLarge` or `.corrupt` for non-positive sizes.
    static func checkDimensions(width: Int, height: Int, options: DecodeOptions) throws(ImageCodecError) {
        guard width > 0, height > 0 else {
            throw ImageCodecError(.corrupt, format: format, "declared size \(width)x\(height) is empty")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > options.maxPixels {
            throw ImageCodecError(
                .tooLarge, format: format,
                "declared size \(width)x\(height) exceeds the limit of \(options.maxPixels) pixels (decompression-bomb guard)")
        }
    }

    /// Validates `options.region` against the image and returns the rectangle to decode (the whole image if none).
    /// - Parameters:
    ///   - options: Holds the optional region.
    ///   - width: Full-resolution width.
    ///   - height: Full-resolution height.
    /// - Returns: The rectangle to decode.
    /// - Throws: `ImageCodecError.Kind.invalidArgument` when the region is empty or outside the image.
    static func requestedRegion(_ options: DecodeOptions, width: Int, height: Int) throws(ImageCodecError) -> PixelRegion {
        guard let region = options.region else { return PixelRegion(x: 0, y: 0, width: width, height: height) }
        guard region.fits(imageWidth: width, imageHeight: height) else {
            throw ImageCodecError(.invalidArgument, format: format,
                                  "region \(region) is empty or outside the \(width)x\(height) image")
        }
        return region
    }

    /// Decodes a whole image with `decodeFull` and then crops the requested region: the path for formats without
    /// region-of-interest or scaled decoding.
    /// - Parameters:
    ///   - bytes: The whole encoded file.
    ///   - options: Mode, limits and region.
    ///   - decodeFull: Decodes the whole image in the requested mode.
    /// - Returns: The pixels of the region at full resolution.
    /// - Throws: Whatever `decodeFull` throws, or `.invalidArgument` for a bad region.
    static func decodeThenCrop(
        _ bytes: UnsafeRawBufferPointer, options: DecodeOptions,
        decodeFull: (UnsafeRawBufferPointer, DecodeOptions) throws(ImageCodecError) -> Image
    ) throws(ImageCodecError) -> DecodedImage {
        let full = try decodeFull(bytes, options)
        let region = try requestedRegion(options, width: full.width, height: full.height)
        let image = options.region == nil ? full : full.cropped(to: region)
        return DecodedImage(image: image, scaleDenominator: 1, sourceRegion: region)
    }
}

/// Decodes any supported format, recognised from its magic bytes.
public enum ImageDecoder {
    static func decoder(for format: ImageFormat) -> any FormatDecoder.Type {
        switch format {
        case .jpeg: JPEGDecoder.self
        case .png: PNGDecoder.self
        case .webp: WebPDecoder.self
        case .bmp: BMPDecoder.self
        case .pnm: PNMDecoder.self
        case .tiff: TIFFDecoder.self
        }
    }

    static func sniffOrThrow(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageFormat {
        guard !bytes.isEmpty else { throw ImageCodecError(.empty, "no bytes to decode") }
        guard let format = ImageFormat.sniff(bytes) else {
            let magic = bytes.prefix(8).map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            throw ImageCodecError(.unknownFormat, "magic bytes [\(magic)] match no supported image format")
        }
        return format
    }

    /// Reads an image's format, size and stored channels without decoding pixels.
    /// - Parameter bytes: The whole encoded file.
    /// - Returns: What the file declares.
    /// - Throws: `ImageCodecError` for empty, unrecognised or malformed input.
    public static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        try decoder(for: sniffOrThrow(bytes)).info(bytes)
    }

    /// Decodes an image and reports the geometry it was decoded at (scale and covered region).
    /// - Parameters:
    ///   - bytes: The whole encoded file.
    ///   - options: Mode, limits, region and fast-mode minimum size.
    /// - Returns: The pixels with their scale denominator and source region.
    /// - Throws: `ImageCodecError` for empty, unrecognised, malformed, truncated or oversized input.
    public static func decodeWithGeometry(_ bytes: UnsafeRawBufferPointer,
                                          options: DecodeOptions = DecodeOptions()) throws(ImageCodecError) -> DecodedImage {
        try decoder(for: sniffOrThrow(bytes)).decode(bytes, options: options)
    }

    /// Decodes an image.
    /// - Parameters:
    ///   - bytes: The whole encoded file.
    ///   - options: Mode, limits, region and fast-mode minimum size.
    /// - Returns: The pixels.
    /// - Throws: `ImageCodecError` for empty, unrecognised, malformed, truncated or oversized input.
    public static func decode(_ bytes: UnsafeRawBufferPointer,
                              options: DecodeOptions = DecodeOptions()) throws(ImageCodecError) -> Image {
        try decodeWithGeometry(bytes, options: options).image
    }

    /// Decodes an image held in an array.
    /// - Parameters:
    ///   - bytes: The whole encoded file.
    ///   - options: Mode, limits, region and fast-mode minimum size.
    /// - Returns: The pixels.
    /// - Throws: `ImageCodecError` for empty, unrecognised, malformed, truncated or oversized input.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(ImageCodecError) -> Image {
        try withTypedBytes(bytes) { (raw) throws(ImageCodecError) -> Image in try decode(raw, options: options) }
    }

    /// Reads an image's format, size and stored channels from an array.
    /// - Parameter bytes: The whole encoded file.
    /// - Returns: What the file declares.
    /// - Throws: `ImageCodecError` for empty, unrecognised or malformed input.
    public static func info(_ bytes: [UInt8]) throws(ImageCodecError) -> ImageInfo {
        try withTypedBytes(bytes) { (raw) throws(ImageCodecError) -> ImageInfo in try info(raw) }
    }
}

/// `Array.withUnsafeBytes` for a body with typed throws (the standard library's version erases the error type).
/// - Parameters:
///   - bytes: The array to view.
///   - body: Works on the raw bytes.
/// - Returns: What `body` returns.
/// - Throws: What `body` throws.
func withTypedBytes<Result>(_ bytes: [UInt8],
                            _ body: (UnsafeRawBufferPointer) throws(ImageCodecError) -> Result) throws(ImageCodecError) -> Result {
    let outcome: Swift.Result<Result, ImageCodecError> = bytes.withUnsafeBytes { raw in
        do throws(ImageCodecError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try outcome.get()
}
