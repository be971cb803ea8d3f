import ImageCodec

extension Sample {
    /// Replaces the image by a full-resolution region resized to `size`: the fused decode + crop + resize that
    /// `Resize` and `RandomResizedCrop` share.
    ///
    /// - Exact mode (or an already decoded image): the region's pixels (decoded alone, equal to the same rectangle of
    ///   the full decode) are resized, as torchvision's PIL path does (`img.crop(...).resize(size, filter)`), byte
    ///   for byte. Where Pillow runs the horizontal pass first, an encoded JPEG region is decoded band by band
    ///   straight into that pass (`StreamedResize`), so the decoded region is never held whole.
    /// - Fast mode on an encoded JPEG: only the region is decoded, at the coarsest DCT scale that still gives at
    ///   least `size`; the requested region is then mapped into the scaled pixels as a fractional box and resized
    ///   from there, running the resize's two passes in the cheaper order (`ResizePassOrder.cheapest`). The pixels
    ///   differ slightly from the exact mode.
    /// - Parameters:
    ///   - region: The full-resolution rectangle (inside the image).
    ///   - size: The output size.
    ///   - filter: The resampling filter.
    /// - Throws: `AugmentError` when decoding fails or the region is outside the image.
    mutating func replaceImage(withRegion region: PixelRegion, resizedTo size: PixelSize,
                               filter: ResampleFilter) throws(AugmentError) {
        var fastDecode = false
        if case .encoded(let bytes) = image {
            fastDecode = decodeMode == .fast
            // Only JPEG decodes row by row; other formats are decoded whole anyway, and streaming would add a copy.
            if !fastDecode && ImageFormat.sniff(bytes) == .jpeg
                && StreamedResize.applies(regionSize: PixelSize(width: region.width, height: region.height),
                                          to: size, filter: filter) {
                image = .decoded(try streamedResize(bytes, region: region, to: size, filter: filter))
                return
            }
        }
        let decoded = try pixels(region: region, minimumSize: size)
        let pixels = decoded.image
        let scale = Double(decoded.scaleDenominator)
        let covered = decoded.sourceRegion
        let box: ResizeBox?
        if decoded.scaleDenominator == 1 && covered == region {
            box = nil
        } else {
            func clamp(_ value: Double, _ limit: Int) -> Double { min(max(value, 0), Double(limit)) }
            box = ResizeBox(
                left: clamp(Double(region.x - covered.x) / scale, pixels.width),
                top: clamp(Double(region.y - covered.y) / scale, pixels.height),
                right: clamp(Double(region.x + region.width - covered.x) / scale, pixels.width),
                bottom: clamp(Double(region.y + region.height - covered.y) / scale, pixels.height))
        }
        image = .decoded(pixels.resized(to: size, filter: filter, box: box, passOrder: fastDecode ? .cheapest : .pillow))
    }

    /// The exact mode's decode + crop + resize of an encoded image, decoding the region band by band into the
    /// resize's first pass (`StreamedResize`): the same bytes as resizing the decoded region, without holding it.
    private func streamedResize(_ bytes: [UInt8], region: PixelRegion, to size: PixelSize,
                                filter: ResampleFilter) throws(AugmentError) -> Image {
        var options = decodeOptions
        options.region = region
        options.minimumSize = nil
        do {
            return try withTypedBytes(bytes) { (raw) throws(ImageCodecError) -> Image in
                try ImageDecoder.withRegionRows(raw, options: options) { (rows) throws(ImageCodecError) -> Image in
                    try StreamedResize.resize(&rows, to: size, filter: filter)
                }
            }
        } catch {
            throw AugmentError.decode(error, key: key, source: source)
        }
    }
}
