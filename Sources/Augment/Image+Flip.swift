import ImageCodec

extension Image {
    /// The image mirrored left to right (Pillow `transpose(FLIP_LEFT_RIGHT)`).
    /// - Returns: The mirrored image.
    public func flippedHorizontally() -> Image {
        let channels = self.channels, rowBytes = self.rowBytes, width = self.width
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for y in 0..<height {
                    let inRow = input + y * rowBytes, outRow = out + y * rowBytes
                    for x in 0..<width {
                        let from = inRow + x * channels, to = outRow + (width - 1 - x) * channels
                        for c in 0..<channels { to[c] = from[c] }
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// The image mirrored top to bottom (Pillow `transpose(FLIP_TOP_BOTTOM)`).
    /// - Returns: The mirrored image.
    public func flippedVertically() -> Image {
        let rowBytes = self.rowBytes
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for y in 0..<height {
                    (out + (height - 1 - y) * rowBytes).update(from: input + y * rowBytes, count: rowBytes)
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }
}
