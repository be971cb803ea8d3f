import ImageCodec

/// Pillow's convolution resize of a region that is decoded band by band: each band of decoded rows goes through the
/// horizontal pass at once, so only the narrow intermediate (output width × the rows the vertical pass reads) is kept,
/// never the whole decoded region. For a 12-megapixel photograph resized to 224 × 224 that is 2 MB instead of 36.
///
/// The bytes equal `Image.resized(to:filter:)` of the whole region: the horizontal pass treats every row on its own,
/// and the vertical pass is the same. It applies only where Pillow runs the horizontal pass first; otherwise
/// (`applies` is false) the caller decodes the region whole.
enum StreamedResize {
    /// Decoded rows per band: enough that the vector kernel's per-call weight table is a small part of a band's
    /// work, few enough that a band of a 12-megapixel row stays in the core's cache (64 × 4000 × 3 bytes = 768 KB).
    static let bandRows = 64

    /// Whether a region of `regionSize` resized to `size` with `filter` can be streamed: a convolution filter, a
    /// width that changes, and Pillow's pass order horizontal first.
    /// - Parameters:
    ///   - regionSize: The region's size.
    ///   - size: The output size.
    ///   - filter: The resampling filter.
    /// - Returns: Whether `resize` applies.
    static func applies(regionSize: PixelSize, to size: PixelSize, filter: ResampleFilter) -> Bool {
        guard filter != .nearest, regionSize.width != size.width else { return false }
        return !ResizePassOrder.pillowRunsVerticalFirst(from: regionSize, to: size)
    }

    /// Resizes the region `rows` delivers (from its first row) to `size`.
    /// - Parameters:
    ///   - rows: The region's rows, none read yet.
    ///   - size: The output size (both sides ≥ 1).
    ///   - filter: The resampling filter.
    /// - Returns: The resized image.
    /// - Throws: `ImageCodecError` from decoding the rows.
    /// - Precondition: `applies(regionSize:to:filter:)` holds.
    static func resize(_ rows: inout RegionRows, to size: PixelSize,
                       filter: ResampleFilter) throws(ImageCodecError) -> Image {
        let width = rows.width, height = rows.height, channels = rows.channels
        precondition(applies(regionSize: PixelSize(width: width, height: height), to: size, filter: filter))
        let horizontal = ResizeCoefficients(inputSize: width, start: 0, end: Float(width), outputSize: size.width,
                                            filter: filter)
        let needVertical = size.height != height
        let vertical = needVertical ? ResizeCoefficients(inputSize: height, start: 0, end: Float(height),
                                                         outputSize: size.height, filter: filter) : nil
        let span = vertical?.span ?? 0..<height
        let inRowBytes = width * channels, outRowBytes = size.width * channels
        var band = [UInt8](repeating: 0, count: min(bandRows, height) * inRowBytes)
        var intermediate = [UInt8](repeating: 0, count: span.count * outRowBytes)
        try band.withUnsafeMutableBufferPointer { (band) throws(ImageCodecError) in
            try intermediate.withUnsafeMutableBufferPointer { (output) throws(ImageCodecError) in
                guard let bandStart = band.baseAddress, let outStart = output.baseAddress else { return }
                // Every row of the region is read, so that reading the last one checks that the file is whole;
                // rows outside the span (above it: libjpeg must decode them anyway) are dropped.
                while rows.rowsRead < height {
                    let first = rows.rowsRead
                    let count = min(bandRows, height - first)
                    try rows.read(rows: count, into: bandStart, rowBytes: inRowBytes)
                    let low = max(first, span.lowerBound), high = min(first + count, span.upperBound)
                    guard low < high else { continue }
                    let used = low..<high
                    ResampleKernels.horizontal(rows: used.count, from: bandStart + (used.lowerBound - first) * inRowBytes,
                                               rowBytes: inRowBytes, width: width, channels: channels,
                                               into: outStart + (used.lowerBound - span.lowerBound) * outRowBytes,
                                               coefficients: horizontal)
                }
            }
        }
        let resampled = Image(width: size.width, height: span.count, channels: channels, pixels: intermediate)
        guard let vertical else { return resampled }
        return ResampleKernels.vertical(resampled, columns: 0..<size.width,
                                        coefficients: vertical.shifted(by: -span.lowerBound))
    }
}
