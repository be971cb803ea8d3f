import CodecShims

/// PNG decoding through libpng's full API, identical to Pillow's `Image.open(f).convert('RGB')` / `convert('L')`:
/// every colour type and bit depth, Adam7 interlacing, alpha dropped without compositing, transparency, gamma and
/// colour profiles ignored (see `PNGSampleLayout` for the per-type rules).
public enum PNGDecoder: FormatDecoder {
    static let format = ImageFormat.png


    static func error(code: Int32, message: String) -> ImageCodecError {
        .shim(code: code, format: format, library: "libpng", message: message)
    }

    private static func open(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> (ShimHandle, sgid_png_header) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw ImageCodecError(.empty, format: .png, "no bytes") }
        var reader: OpaquePointer?
        var header = sgid_png_header()
        var message = [CChar](repeating: 0, count: Int(SGID_MESSAGE_CAPACITY))
        let code = sgid_png_open(base.assumingMemoryBound(to: UInt8.self), bytes.count, &reader, &header, &message)
        guard code == SGID_OK, let reader else { throw error(code: code, message: shimMessage(message)) }
        return (ShimHandle(reader, close: { sgid_png_close($0) }, message: { sgid_png_message($0) }), header)
    }

    /// Reads the PNG header (IHDR).
    /// - Parameter bytes: The whole PNG file.
    /// - Returns: Format, size and stored channel count (palette images count as 3).
    /// - Throws: `ImageCodecError` when the signature or header chunks are malformed or missing.
    static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        let header = try PNGHeaderReader.read(bytes)
        return ImageInfo(format: .png, width: header.width, height: header.height, storedChannels: header.storedChannels)
    }

    /// Decodes a PNG (the whole image, then the requested region is cropped).
    /// - Parameters:
    ///   - bytes: The whole PNG file.
    ///   - options: Mode, pixel limit and region (`minimumSize` is ignored: PNG has no scaled decoding).
    /// - Returns: Pixels at full resolution.
    /// - Throws: `ImageCodecError`: `.truncated` when the data ends early, `.corrupt` for CRC, zlib or chunk errors,
    ///   `.tooLarge` above the pixel limit (checked before allocating), `.invalidArgument` for a bad region.
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> DecodedImage {
        try decodeThenCrop(bytes, options: options) { (bytes, options) throws(ImageCodecError) -> Image in
            try decodeFull(bytes, mode: options.mode, options: options)
        }
    }

    private static func decodeFull(_ bytes: UnsafeRawBufferPointer, mode: ColorMode,
                                   options: DecodeOptions) throws(ImageCodecError) -> Image {
        let (handle, header) = try open(bytes)
        let width = Int(header.width), height = Int(header.height)
        try checkDimensions(width: width, height: height, options: options)
        let layout = PNGSampleLayout(header)
        let rowBytes = header.row_bytes
        let outChannels = mode.channels
        let count = width * height * outChannels
        var code: Int32 = SGID_OK
        if layout.isIdentity(for: mode) && rowBytes == width * outChannels {
            let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                code = sgid_png_read(handle.pointer, buffer.baseAddress!)
                initialized = count
            }
            guard code == SGID_OK else { throw error(code: code, message: handle.message) }
            return Image(width: width, height: height, channels: outChannels, pixels: pixels)
        }
        var raw = [UInt8](repeating: 0, count: rowBytes * height)
        code = raw.withUnsafeMutableBufferPointer { sgid_png_read(handle.pointer, $0.baseAddress!) }
        guard code == SGID_OK else { throw error(code: code, message: handle.message) }
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            raw.withUnsafeBufferPointer { source in
                for row in 0..<height {
                    layout.convertRow(source.baseAddress! + row * rowBytes, width: width, to: mode,
                                      into: buffer.baseAddress! + row * width * outChannels)
                }
            }
            initialized = count
        }
        return Image(width: width, height: height, channels: outChannels, pixels: pixels)
    }
}
