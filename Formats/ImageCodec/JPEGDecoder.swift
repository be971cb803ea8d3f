import CodecShims

/// JPEG decoding through libjpeg-turbo (islow DCT, fancy upsampling), identical to Pillow's `convert('RGB')` /
/// `convert('L')` in the exact mode. In the fast mode (a `minimumSize` is given) the coarsest DCT scale whose output
/// still covers the minimum size is used, and a `region` decodes only the rows and iMCU columns that cover it.
public enum JPEGDecoder: FormatDecoder {
    static let format = ImageFormat.jpeg


    static func error(code: Int32, message: String) -> ImageCodecError {
        .shim(code: code, format: format, library: "libjpeg", message: message)
    }

    private static func open(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> (ShimHandle, sgid_jpeg_header) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw ImageCodecError(.empty, format: .jpeg, "no bytes") }
        var decoder: OpaquePointer?
        var header = sgid_jpeg_header()
        var message = [CChar](repeating: 0, count: Int(SGID_MESSAGE_CAPACITY))
        let code = sgid_jpeg_open(base.assumingMemoryBound(to: UInt8.self), bytes.count, &decoder, &header, &message)
        guard code == SGID_OK, let decoder else {
            throw error(code: code, message: shimMessage(message))
        }
        return (ShimHandle(decoder, close: { sgid_jpeg_close($0) }, message: { sgid_jpeg_message($0) }), header)
    }

    /// Reads the JPEG header.
    /// - Parameter bytes: The whole JPEG file.
    /// - Returns: Format, size and component count.
    /// - Throws: `ImageCodecError` when the header is malformed or missing.
    static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        let (_, header) = try open(bytes)
        return ImageInfo(format: .jpeg, width: Int(header.width), height: Int(header.height),
                         storedChannels: Int(header.components))
    }

    /// The DCT scale denominator (1, 2, 4 or 8) for a fast-mode decode: the coarsest whose scaled region still
    /// covers `minimum` in both directions.
    /// - Parameters:
    ///   - region: The full-resolution rectangle to decode.
    ///   - imageWidth: Full-resolution image width.
    ///   - imageHeight: Full-resolution image height.
    ///   - minimum: The smallest acceptable output size, or `nil` for full resolution.
    /// - Returns: The denominator.
    public static func scaleDenominator(for region: PixelRegion, imageWidth: Int, imageHeight: Int,
                                        minimum: PixelSize?) -> Int {
        guard let minimum else { return 1 }
        for denominator in [8, 4, 2] {
            let scaled = scaledRegion(region, denominator: denominator, imageWidth: imageWidth, imageHeight: imageHeight)
            if scaled.width >= minimum.width && scaled.height >= minimum.height { return denominator }
        }
        return 1
    }

    /// Maps a full-resolution rectangle to the smallest rectangle of the 1/denominator image that covers it.
    /// - Parameters:
    ///   - region: Full-resolution rectangle.
    ///   - denominator: 1, 2, 4 or 8.
    ///   - imageWidth: Full-resolution width.
    ///   - imageHeight: Full-resolution height.
    /// - Returns: The covering rectangle in scaled coordinates (libjpeg's scaled size is `ceil(size / denominator)`).
    public static func scaledRegion(_ region: PixelRegion, denominator: Int, imageWidth: Int,
                                    imageHeight: Int) -> PixelRegion {
        let scaledWidth = (imageWidth + denominator - 1) / denominator
        let scaledHeight = (imageHeight + denominator - 1) / denominator
        let left = region.x / denominator, top = region.y / denominator
        let right = min(scaledWidth, (region.x + region.width + denominator - 1) / denominator)
        let bottom = min(scaledHeight, (region.y + region.height + denominator - 1) / denominator)
        return PixelRegion(x: left, y: top, width: max(1, right - left), height: max(1, bottom - top))
    }

    /// Decodes a JPEG.
    /// - Parameters:
    ///   - bytes: The whole JPEG file.
    ///   - options: Mode, pixel limit, region, fast-mode minimum size.
    /// - Returns: Pixels plus the scale and full-resolution region they cover.
    /// - Throws: `ImageCodecError` with libjpeg's message for corrupt data, `.truncated` for early end of data,
    ///   `.tooLarge` above the pixel limit, `.invalidArgument` for a region outside the image.
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> DecodedImage {
        let started = try start(bytes, options: options)
        let handle = started.handle, output = started.output, denominator = started.denominator
        let outWidth = Int(output.width), outHeight = Int(output.height), components = Int(output.components)
        let pixelCount = outWidth * outHeight
        var readCode: Int32 = SGID_OK
        let pixels: [UInt8]
        if (components == 3 && options.mode == .rgb) || (components == 1 && options.mode == .gray) {
            pixels = [UInt8](unsafeUninitializedCapacity: pixelCount * components) { buffer, count in
                readCode = sgid_jpeg_read(handle.pointer, buffer.baseAddress!, outWidth * components)
                count = pixelCount * components
            }
        } else {
            var raw = [UInt8](repeating: 0, count: pixelCount * components)
            readCode = raw.withUnsafeMutableBufferPointer { sgid_jpeg_read(handle.pointer, $0.baseAddress!, outWidth * components) }
            pixels = [UInt8](unsafeUninitializedCapacity: pixelCount * options.mode.channels) { buffer, count in
                raw.withUnsafeBufferPointer { source in
                    convert(source.baseAddress!, components: components, to: options.mode, into: buffer.baseAddress!,
                            pixelCount: pixelCount)
                }
                count = pixelCount * options.mode.channels
            }
        }
        guard readCode == SGID_OK else { throw error(code: readCode, message: handle.message) }
        // The full-resolution rectangle the returned pixels cover (in the fast mode it can be wider than asked).
        let x = Int(output.x), y = Int(output.y), region = started.region, width = started.width, height = started.height
        let covered = denominator == 1 && outWidth == region.width && outHeight == region.height ? region : PixelRegion(
            x: x * denominator, y: y * denominator,
            width: min(width, (x + outWidth) * denominator) - x * denominator,
            height: min(height, (y + outHeight) * denominator) - y * denominator)
        return DecodedImage(image: Image(width: outWidth, height: outHeight, channels: options.mode.channels, pixels: pixels),
                            scaleDenominator: denominator, sourceRegion: covered)
    }

    /// A started decompression and its geometry.
    struct Started {
        /// The decoder, started.
        let handle: ShimHandle
        /// What `sgid_jpeg_start` chose: scaled size, returned rectangle, output components.
        let output: sgid_jpeg_output
        /// The full-resolution rectangle asked for (the whole image without `options.region`).
        let region: PixelRegion
        /// The DCT scale denominator (1 in the exact mode).
        let denominator: Int
        /// Full-resolution image width.
        let width: Int
        /// Full-resolution image height.
        let height: Int
    }

    /// Opens a JPEG, checks its size and the region, and starts decompression: in the exact mode (no
    /// `minimumSize`) exactly the region at full scale, in the fast mode at the coarsest sufficient scale.
    /// - Parameters:
    ///   - bytes: The whole JPEG file (read as rows are decoded: it must outlive the handle's use).
    ///   - options: Limits, region and fast-mode minimum size.
    /// - Returns: The started decoder and its geometry.
    /// - Throws: `ImageCodecError` for a malformed header, an oversized image or a region outside it.
    static func start(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> Started {
        let (handle, header) = try open(bytes)
        let width = Int(header.width), height = Int(header.height)
        try checkDimensions(width: width, height: height, options: options)
        let region = try requestedRegion(options, width: width, height: height)
        let denominator = scaleDenominator(for: region, imageWidth: width, imageHeight: height,
                                           minimum: options.minimumSize)
        let scaled = scaledRegion(region, denominator: denominator, imageWidth: width, imageHeight: height)
        let whole = options.region == nil
        var output = sgid_jpeg_output()
        let startCode = sgid_jpeg_start(
            handle.pointer, Int32(denominator), Int32(whole ? 0 : scaled.x), Int32(whole ? 0 : scaled.y),
            Int32(whole ? 0 : scaled.width), Int32(whole ? 0 : scaled.height), options.minimumSize == nil ? 1 : 0,
            &output)
        guard startCode == SGID_OK else { throw error(code: startCode, message: handle.message) }
        return Started(handle: handle, output: output, region: region, denominator: denominator, width: width,
                       height: height)
    }

    /// Converts decoded pixels in the decoder's components (gray, RGB, or Adobe's inverted CMYK) to `mode` as Pillow
    /// would.
    /// - Parameters:
    ///   - source: `pixelCount` pixels of `components` bytes.
    ///   - components: The decoder's output components (1, 3 or 4).
    ///   - mode: The requested layout.
    ///   - output: Room for `pixelCount` pixels of `mode`.
    ///   - pixelCount: Pixels to convert.
    static func convert(_ source: UnsafePointer<UInt8>, components: Int, to mode: ColorMode,
                        into output: UnsafeMutablePointer<UInt8>, pixelCount: Int) {
        if components == 4 {
            PillowConversion.convertInvertedCMYK(source, to: mode, into: output, pixelCount: pixelCount)
        } else {
            PillowConversion.convert(source, sourceChannels: components, to: mode, into: output, pixelCount: pixelCount)
        }
    }
}
