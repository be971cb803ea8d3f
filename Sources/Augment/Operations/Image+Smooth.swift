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
        let values = [Float](unsafeUninitializedCapacity: pixels.count) { buffer, initialized in
            for index in 0..<pixels.count { buffer[index] = Float(pixels[index]) }
            initialized = pixels.count
        }
        values.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for y in 1..<(height - 1) {
                    let above = input + (y - 1) * rowBytes, row = input + y * rowBytes, below = input + (y + 1) * rowBytes
                    let outRow = out + y * rowBytes
                    for index in channels..<(rowBytes - channels) {
                        var sum: Float = 0.5
                        sum += below[index - channels] * side + below[index] * side + below[index + channels] * side
                        sum += row[index - channels] * side + row[index] * middle + row[index + channels] * side
                        sum += above[index - channels] * side + above[index] * side + above[index + channels] * side
                        outRow[index] = Self.clampTruncate(sum)
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }
}
