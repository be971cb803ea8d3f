import ImageCodec

extension Image {
    /// Pillow's `filter(ImageFilter.SMOOTH)`: the 3×3 kernel `[1 1 1; 1 5 1; 1 1 1] / 13` in single precision, the
    /// accumulator starting at 0.5, the sum clamped and truncated; the border rows and columns are copied and images
    /// smaller than 3×3 are returned unchanged.
    /// - Returns: The smoothed image.
    public func smoothed() -> Image {
        guard width >= 3 && height >= 3 else { return self }
        let side = Float(1.0 / 13.0), middle = Float(5.0 / 13.0)
        let channels = self.channels, rowBytes = self.rowBytes, width = self.width, height = self.height
        var output = pixels
        // Every byte converted to single precision once; the taps then read floats.
        let values = pixels.withUnsafeBufferPointer { bytes in
            [Float](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
                for index in 0..<bytes.count { buffer[index] = Float(bytes[index]) }
                initialized = bytes.count
            }
        }
        values.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for y in 1..<(height - 1) {
                    let above = input + (y - 1) * rowBytes, row = input + y * rowBytes, below = input + (y + 1) * rowBytes
                    let outRow = out + y * rowBytes
                    // Every tap as a pointer walked in step with the output byte: a loop the compiler vectorises.
                    let first = channels, count = rowBytes - 2 * channels
                    let bl = below + first - channels, bc = below + first, br = below + first + channels
                    let rl = row + first - channels, rc = row + first, rr = row + first + channels
                    let al = above + first - channels, ac = above + first, ar = above + first + channels
                    let target = outRow + first
                    for i in 0..<count {
                        var sum: Float = 0.5
                        sum += bl[i] * side + bc[i] * side + br[i] * side
                        sum += rl[i] * side + rc[i] * middle + rr[i] * side
                        sum += al[i] * side + ac[i] * side + ar[i] * side
                        target[i] = Self.clampTruncate(sum)
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }
}
