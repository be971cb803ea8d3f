import ImageCodec
import VectorKernels

/// The hot loops of the convolution resize: 22-bit fixed-point multiply–accumulate over unsafe buffers, with
/// Pillow's rounding (accumulator starts at 2^21, result `clamp(sum >> 22, 0, 255)`).
///
/// On CPUs with AVX2 the RGB horizontal pass and the vertical pass run the C forms in `VectorKernels`, which compute
/// the same integer sums (so the same bytes) eight lanes at a time; `vector: false` forces the loops below.
enum ResampleKernels {
    private static let half: Int32 = 1 << (ResizeCoefficients.precisionBits - 1)

    @inline(__always)
    private static func clip(_ sum: Int32) -> UInt8 {
        let value = sum >> ResizeCoefficients.precisionBits
        return value < 0 ? 0 : (value > 255 ? 255 : UInt8(truncatingIfNeeded: value))
    }

    /// Resamples each row in `rows` of `image` horizontally.
    /// - Parameters:
    ///   - image: The source.
    ///   - rows: The source rows to resample (the band the vertical pass reads).
    ///   - coefficients: The horizontal table (its output count is the new width).
    ///   - vector: Whether the vector kernel may run (RGB only).
    /// - Returns: An image `coefficients.starts.count` wide and `rows.count` high.
    static func horizontal(_ image: Image, rows: Range<Int>, coefficients: ResizeCoefficients,
                           vector: Bool = VectorKernelSupport.available) -> Image {
        let outWidth = coefficients.starts.count, channels = image.channels
        let output = image.filledPixels(count: rows.count * outWidth * channels) { input, out in
            horizontal(rows: rows.count, from: input + rows.lowerBound * image.rowBytes, rowBytes: image.rowBytes,
                       width: image.width, channels: channels, into: out, coefficients: coefficients, vector: vector)
        }
        return Image(width: outWidth, height: rows.count, channels: channels, pixels: output)
    }

    /// Resamples `rows` rows horizontally from raw memory into packed output rows
    /// (`coefficients.starts.count × channels` bytes each).
    /// - Parameters:
    ///   - rows: Rows to resample.
    ///   - input: The first source row.
    ///   - rowBytes: Distance between source rows.
    ///   - width: Source width in pixels.
    ///   - channels: Bytes per pixel (1, 3 or 4).
    ///   - out: Room for `rows` output rows.
    ///   - coefficients: The horizontal table.
    ///   - vector: Whether the vector kernel may run (RGB only).
    static func horizontal(rows: Int, from input: UnsafePointer<UInt8>, rowBytes inRowBytes: Int, width: Int,
                           channels: Int, into out: UnsafeMutablePointer<UInt8>, coefficients: ResizeCoefficients,
                           vector: Bool = VectorKernelSupport.available) {
        let outWidth = coefficients.starts.count, outRowBytes = outWidth * channels
        let stride = coefficients.stride
        guard rows > 0, outWidth > 0 else { return }
        if vector && channels == 3 {
            sgid_resample_horizontal_rgb(input, inRowBytes, width, rows, out, outWidth, coefficients.starts,
                                         coefficients.counts, coefficients.taps, stride)
            return
        }
        coefficients.starts.withUnsafeBufferPointer { starts in
            coefficients.counts.withUnsafeBufferPointer { counts in
                coefficients.taps.withUnsafeBufferPointer { taps in
                    guard let kk = taps.baseAddress else { return }
                    for row in 0..<rows {
                        let inRow = input + row * inRowBytes
                        let outRow = out + row * outRowBytes
                        switch channels {
                        case 1:
                            for x in 0..<outWidth {
                                let p = inRow + starts[x], k = kk + x * stride
                                var s0 = half
                                for t in 0..<counts[x] { s0 &+= Int32(p[t]) &* k[t] }
                                outRow[x] = clip(s0)
                            }
                        case 3:
                            for x in 0..<outWidth {
                                let p = inRow + starts[x] * 3, k = kk + x * stride
                                var s0 = half, s1 = half, s2 = half
                                for t in 0..<counts[x] {
                                    let c = k[t], q = p + t * 3
                                    s0 &+= Int32(q[0]) &* c
                                    s1 &+= Int32(q[1]) &* c
                                    s2 &+= Int32(q[2]) &* c
                                }
                                let o = outRow + x * 3
                                o[0] = clip(s0)
                                o[1] = clip(s1)
                                o[2] = clip(s2)
                            }
                        default:
                            for x in 0..<outWidth {
                                let p = inRow + starts[x] * 4, k = kk + x * stride
                                var s0 = half, s1 = half, s2 = half, s3 = half
                                for t in 0..<counts[x] {
                                    let c = k[t], q = p + t * 4
                                    s0 &+= Int32(q[0]) &* c
                                    s1 &+= Int32(q[1]) &* c
                                    s2 &+= Int32(q[2]) &* c
                                    s3 &+= Int32(q[3]) &* c
                                }
                                let o = outRow + x * 4
                                o[0] = clip(s0)
                                o[1] = clip(s1)
                                o[2] = clip(s2)
                                o[3] = clip(s3)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Resamples the columns `columns` of `image` vertically. Every byte of a row is independent, so the loop runs
    /// over whole row segments (tap outer, bytes inner), which the compiler vectorises.
    /// - Parameters:
    ///   - image: The source (the original, or the horizontal pass's band).
    ///   - columns: The source columns to resample (the output is this wide).
    ///   - coefficients: The vertical table, with starts relative to `image`'s first row.
    ///   - vector: Whether the vector kernel may run.
    /// - Returns: An image `columns.count` wide and `coefficients.starts.count` high.
    static func vertical(_ image: Image, columns: Range<Int>, coefficients: ResizeCoefficients,
                         vector: Bool = VectorKernelSupport.available) -> Image {
        let outHeight = coefficients.starts.count, channels = image.channels
        let inRowBytes = image.rowBytes, rowBytes = columns.count * channels, offset = columns.lowerBound * channels
        if vector && rowBytes > 0 {
            let output = image.filledPixels(count: outHeight * rowBytes) { input, out in
                sgid_resample_vertical(input + offset, inRowBytes, rowBytes, out, outHeight, coefficients.starts,
                                       coefficients.counts, coefficients.taps, coefficients.stride)
            }
            return Image(width: columns.count, height: outHeight, channels: channels, pixels: output)
        }
        var output = [UInt8](repeating: 0, count: outHeight * rowBytes)
        var sums = [Int32](repeating: 0, count: rowBytes)
        let stride = coefficients.stride
        image.pixels.withUnsafeBufferPointer { source in
            coefficients.taps.withUnsafeBufferPointer { taps in
                output.withUnsafeMutableBufferPointer { target in
                    sums.withUnsafeMutableBufferPointer { accumulators in
                        guard let input = source.baseAddress, let out = target.baseAddress,
                              let kk = taps.baseAddress, let acc = accumulators.baseAddress else { return }
                        for y in 0..<outHeight {
                            let first = coefficients.starts[y], k = kk + y * stride
                            acc.update(repeating: half, count: rowBytes)
                            for t in 0..<coefficients.counts[y] {
                                let row = input + (first + t) * inRowBytes + offset, c = k[t]
                                for i in 0..<rowBytes { acc[i] &+= Int32(row[i]) &* c }
                            }
                            let outRow = out + y * rowBytes
                            for i in 0..<rowBytes { outRow[i] = clip(acc[i]) }
                        }
                    }
                }
            }
        }
        return Image(width: columns.count, height: outHeight, channels: channels, pixels: output)
    }
}
