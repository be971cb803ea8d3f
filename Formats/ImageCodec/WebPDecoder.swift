/// Placeholder until the WebP decoder lands: refuses every input as unsupported.
public enum WebPDecoder: FormatDecoder {
    static let format = ImageFormat.webp

    static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        throw ImageCodecError(.unsupported, format: format, "not implemented yet")
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> DecodedImage {
        throw ImageCodecError(.unsupported, format: format, "not implemented yet")
    }
}
