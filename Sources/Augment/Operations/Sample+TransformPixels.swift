import ImageCodec

extension Sample {
    /// Replaces the decoded image by `transform(pixels)`, decoding first if needed.
    /// - Parameter transform: The pixel operation.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    mutating func transformPixels(_ transform: (Image) -> Image) throws(AugmentError) {
        image = .decoded(transform(try pixels()))
    }
}
