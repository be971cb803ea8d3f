/// Windows bitmap decoding in Swift, identical to Pillow's `convert('RGB')` / `convert('L')`: 1/4/8-bit palette,
/// 16-bit 5-5-5 and 5-6-5, 24-bit and 32-bit (plain or with the bitfield masks Pillow accepts), bottom-up and
/// top-down, RLE8 and RLE4. Alpha is dropped; gray is Pillow's luma of the RGB (the value itself for gray palettes).
public enum BMPDecoder: FormatDecoder {
    static let format = ImageFormat.bmp

    /// Reads the BMP headers.
    /// - Parameter bytes: The whole BMP file.
    /// - Returns: Format, size and stored channels (4 for 32-bit bitfields with alpha, else 3).
    /// - Throws: `ImageCodecError` when the headers are cut short, malformed or unsupported.
    static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        let header = try BMPHeader(bytes, readPalette: false)
        return ImageInfo(format: .bmp, width: header.width, height: header.height, storedChannels: header.hasAlpha ? 4 : 3)
    }

    /// Decodes a BMP (the whole image, then the requested region is cropped).
    /// - Parameters:
    ///   - bytes: The whole BMP file.
    ///   - options: Mode, pixel limit and region (`minimumSize` is ignored).
    /// - Returns: Pixels at full resolution.
    /// - Throws: `ImageCodecError`: `.truncated` when the pixel data ends early, `.corrupt` for malformed headers or
    ///   run-length data that stops before the image is complete, `.unsupported` for layouts Pillow refuses,
    ///   `.tooLarge` above the pixel limit (checked before allocating), `.invalidArgument` for a bad region.
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> DecodedImage {
        try decodeThenCrop(bytes, options: options) { (bytes, options) throws(ImageCodecError) -> Image in
            try decodeFull(bytes, options: options)
        }
    }

    private static func decodeFull(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> Image {
        let header = try BMPHeader(bytes)
        let width = header.width, height = header.height
        try checkDimensions(width: width, height: height, options: options)
        let reader = BMPByteReader(bytes)
        let pixelCount = width * height
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        if case .runLength(let four) = header.layout {
            let indices = try BMPRunLength.decode(bytes, from: header.pixelOffset, width: width, height: height, four: four)
            indices.withUnsafeBufferPointer { source in
                rgb.withUnsafeMutableBufferPointer { target in
                    for row in 0..<height {
                        let line = header.topDown ? row : height - 1 - row
                        BMPRows.convert(source.baseAddress! + row * width, header: header, layout: .indexed(bits: 8),
                                        width: width, into: target.baseAddress! + line * width * 3)
                    }
                }
            }
        } else {
            let (stride, overflow) = header.stride.multipliedReportingOverflow(by: height)
            guard !overflow else { throw ImageCodecError(.tooLarge, format: .bmp, "pixel data size overflows") }
            let data = try reader.slice(at: header.pixelOffset, count: stride)
            rgb.withUnsafeMutableBufferPointer { target in
                let base = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
                for row in 0..<height {
                    let line = header.topDown ? row : height - 1 - row
                    BMPRows.convert(base + row * header.stride, header: header, layout: header.layout, width: width,
                                    into: target.baseAddress! + line * width * 3)
                }
            }
        }
        if options.mode == .rgb { return Image(width: width, height: height, channels: 3, pixels: rgb) }
        let gray = [UInt8](unsafeUninitializedCapacity: pixelCount) { buffer, count in
            rgb.withUnsafeBufferPointer { source in
                PillowConversion.convert(source.baseAddress!, sourceChannels: 3, to: .gray, into: buffer.baseAddress!,
                                         pixelCount: pixelCount)
            }
            count = pixelCount
        }
        return Image(width: width, height: height, channels: 1, pixels: gray)
    }
}
