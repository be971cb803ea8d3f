import ImageCodec

extension Image {
    /// The image mirrored left to right (Pillow `transpose(FLIP_LEFT_RIGHT)`).
    /// - Returns: The mirrored image.
    public func flippedHorizontally() -> Image {
        let channels = self.channels, rowBytes = self.rowBytes, width = self.width, height = self.height
        let output = filledPixels(count: pixels.count) { input, out in
            for y in 0..<height {
                Self.mirrorRow(input + y * rowBytes, into: out + y * rowBytes, width: width, channels: channels)
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
            // Eight pixels (three 64-bit words) at a time: the words' bytes rearranged with shifts and masks into
            // the same pixels in reverse order (little-endian byte order); the remaining pixels byte by byte.
            #if _endian(little)
            let blocks = width / 8
            #else
            let blocks = 0
            #endif
            for _ in 0..<blocks {
                to -= 21
                let w0 = UnsafeRawPointer(from).loadUnaligned(as: UInt64.self)
                let w1 = UnsafeRawPointer(from + 8).loadUnaligned(as: UInt64.self)
                let w2 = UnsafeRawPointer(from + 16).loadUnaligned(as: UInt64.self)
                // Input bytes i0…i23 (low byte first); output = pixels 7…0 = i21 i22 i23 i18 i19 i20 … i0 i1 i2.
                let o0 = (w2 >> 40) | ((w2 >> 16) & 0xFF_FFFF) << 24 | (w1 >> 56) << 48 | (w2 & 0xFF) << 56
                let o1 = ((w2 >> 8) & 0xFF) | ((w1 >> 32) & 0xFF_FFFF) << 8 | ((w1 >> 8) & 0xFF_FFFF) << 32
                    | ((w0 >> 48) & 0xFF) << 56
                let o2 = (w0 >> 56) | (w1 & 0xFF) << 8 | ((w0 >> 24) & 0xFF_FFFF) << 16 | (w0 & 0xFF_FFFF) << 40
                let target = UnsafeMutableRawPointer(to)
                target.storeBytes(of: o0, as: UInt64.self)
                target.storeBytes(of: o1, toByteOffset: 8, as: UInt64.self)
                target.storeBytes(of: o2, toByteOffset: 16, as: UInt64.self)
                from += 24
                to -= 3
            }
            for _ in (blocks * 8)..<width {
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
        let output = filledPixels(count: pixels.count) { input, out in
            for y in 0..<height {
                (out + (height - 1 - y) * rowBytes).initialize(from: input + y * rowBytes, count: rowBytes)
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }
}
