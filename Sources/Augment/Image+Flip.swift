import ImageCodec

extension Image {
    /// The image mirrored left to right (Pillow `transpose(FLIP_LEFT_RIGHT)`).
    /// - Returns: The mirrored image.
    public func flippedHorizontally() -> Image {
        let channels = self.channels, rowBytes = self.rowBytes, width = self.width, height = self.height
        let output = pixels.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: source.count) { target, count in
                guard let input = source.baseAddress, let out = target.baseAddress else { count = 0; return }
                for y in 0..<height {
                    Self.mirrorRow(input + y * rowBytes, into: out + y * rowBytes, width: width, channels: channels)
                }
                count = source.count
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// Mirrors one row; the common channel counts get their own loops so the compiler can unroll them.
    @inline(__always)
    private static func mirrorRow(_ input: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>, width: Int,
                                  channels: Int) {
        var from = input, to = output + (width - 1) * channels
        switch channels {
        case 3:
            for _ in 0..<width {
                to[0] = from[0]; to[1] = from[1]; to[2] = from[2]
                from += 3; to -= 3
            }
        case 1:
            for _ in 0..<width {
                to[0] = from[0]
                from += 1; to -= 1
            }
        default:
            for _ in 0..<width {
                for c in 0..<channels { to[c] = from[c] }
                from += channels; to -= channels
            }
        }
    }

    /// The image mirrored top to bottom (Pillow `transpose(FLIP_TOP_BOTTOM)`).
    /// - Returns: The mirrored image.
    public func flippedVertically() -> Image {
        let rowBytes = self.rowBytes, height = self.height
        let output = pixels.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: source.count) { target, count in
                guard let input = source.baseAddress, let out = target.baseAddress else { count = 0; return }
                for y in 0..<height {
                    (out + (height - 1 - y) * rowBytes).initialize(from: input + y * rowBytes, count: rowBytes)
                }
                count = source.count
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }
}
