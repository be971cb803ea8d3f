import CodecShims

/// TIFF decoding through libtiff (first image only), matching Pillow's `convert('RGB')` / `convert('L')` for the
/// layouts Pillow writes and most tools produce: contiguous 1-bit and 8-bit gray (min-is-black or min-is-white),
/// 16-bit gray, 8-bit gray+alpha, RGB, RGBA with unassociated or unspecified alpha, CMYK, and 1/2/4/8-bit palette
/// images; uncompressed, LZW, Deflate, PackBits or JPEG (YCbCr converted by libjpeg as Pillow asks), in strips or tiles.
/// Other layouts (separate planes, associated alpha, float samples, …) are refused as `.unsupported`.
public enum TIFFDecoder: FormatDecoder {
    static let format = ImageFormat.tiff


    static func error(code: Int32, message: String) -> ImageCodecError {
        .shim(code: code, format: format, library: "libtiff", message: message)
    }

    private static func open(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> (ShimHandle, sgid_tiff_header) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw ImageCodecError(.empty, format: .tiff, "no bytes") }
        var reader: OpaquePointer?
        var header = sgid_tiff_header()
        var message = [CChar](repeating: 0, count: Int(SGID_MESSAGE_CAPACITY))
        let code = sgid_tiff_open(base.assumingMemoryBound(to: UInt8.self), bytes.count, &reader, &header, &message)
        guard code == SGID_OK, let reader else { throw error(code: code, message: shimMessage(message)) }
        return (ShimHandle(reader, close: { sgid_tiff_close($0) }, message: { sgid_tiff_message($0) }), header)
    }

    /// Reads the first image directory.
    /// - Parameter bytes: The whole TIFF file.
    /// - Returns: Format, size and samples per pixel.
    /// - Throws: `ImageCodecError` when the header or directory is malformed or missing.
    static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        let (_, header) = try open(bytes)
        return ImageInfo(format: .tiff, width: Int(header.width), height: Int(header.height),
                         storedChannels: header.photometric == 3 ? 3 : Int(header.samples_per_pixel))
    }

    /// Decodes the first image of a TIFF (the whole image, then the requested region is cropped).
    /// - Parameters:
    ///   - bytes: The whole TIFF file.
    ///   - options: Mode, pixel limit and region (`minimumSize` is ignored).
    /// - Returns: Pixels at full resolution.
    /// - Throws: `ImageCodecError`: `.truncated` when strips or tiles lie past the end of the data, `.corrupt` with
    ///   libtiff's message, `.unsupported` for layouts listed above, `.tooLarge` above the pixel limit (checked before
    ///   allocating), `.invalidArgument` for a bad region.
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> DecodedImage {
        try decodeThenCrop(bytes, options: options) { (bytes, options) throws(ImageCodecError) -> Image in
            try decodeFull(bytes, options: options)
        }
    }

    private static func decodeFull(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> Image {
        let (handle, header) = try open(bytes)
        let width = Int(header.width), height = Int(header.height)
        try checkDimensions(width: width, height: height, options: options)
        let layout = try TIFFSampleLayout(header)
        let rowBytes = header.row_bytes
        guard rowBytes == layout.rowBytes(width: width) else {
            throw ImageCodecError(.corrupt, format: .tiff, "row size \(rowBytes) does not match the declared layout")
        }
        var raw = [UInt8](repeating: 0, count: rowBytes * height)
        let code = raw.withUnsafeMutableBufferPointer { sgid_tiff_read(handle.pointer, $0.baseAddress!) }
        guard code == SGID_OK else { throw error(code: code, message: handle.message) }
        let mode = options.mode
        let count = width * height * mode.channels
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            raw.withUnsafeBufferPointer { source in
                for row in 0..<height {
                    layout.convertRow(source.baseAddress! + row * rowBytes, width: width, to: mode,
                                      into: buffer.baseAddress! + row * width * mode.channels)
                }
            }
            initialized = count
        }
        return Image(width: width, height: height, channels: mode.channels, pixels: pixels)
    }
}
