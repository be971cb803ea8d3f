/// Placeholder until the TIFF decoder lands: refuses every input as unsupported.
public enum TIFFDecoder: FormatDecoder {
    static let format = ImageFormat.tiff

    static func info(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageInfo {
        throw ImageCodecError(.unsupported, format: format, "not implemented yet")
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) -> DecodedImage {
        throw ImageCodecError(.unsupported, format: format, "not implemented yet")
    }
}
