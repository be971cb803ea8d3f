import ImageCodec
import VectorKernels

extension Image {
    /// The luminance image (Pillow `convert('L')`): `(R·19595 + G·38470 + B·7471 + 0x8000) >> 16`; a gray image
    /// is returned as is and a fourth channel is ignored.
    /// - Returns: A one-channel image.
    public func luminance() -> Image {
        guard channels >= 3 else { return self }
        let channels = self.channels, count = pixelCount
        let output = filledPixels(count: count) { input, out in
            if channels == 3 && VectorKernelSupport.available {
                sgid_luminance_rgb(input, count, out)
            } else if channels == 3 {
                Self.luminanceRGB(input, into: out, count: count)
            } else {
                var pixel = input
                for index in 0..<count {
                    out[index] = Self.luminance(pixel[0], pixel[1], pixel[2])
                    pixel += channels
                }
            }
        }
        return Image(width: width, height: height, channels: 1, pixels: output)
    }

    /// Pillow's `L24`: `(R·19595 + G·38470 + B·7471 + 0x8000) >> 16`.
    @inline(__always)
    static func luminance(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> UInt8 {
        let sum = UInt32(red) &* 19595 &+ UInt32(green) &* 38470 &+ UInt32(blue) &* 7471 &+ 0x8000
        return UInt8(truncatingIfNeeded: sum >> 16)
    }

    /// The luminance of `count` packed RGB pixels, two per 64-bit load: the two pixels' red (green, blue) bytes
    /// sit 24 bits apart, so one multiplication per channel forms both products, and each pixel's weighted sum
    /// (below 2²⁴) stays inside its own 24-bit lane. (Little-endian only; big-endian machines take the scalar loop.)
    static func luminanceRGB(_ input: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, count: Int) {
        let lanes: UInt64 = 0xFF00_00FF, rounding: UInt64 = 0x80_0000_8000
        var index = 0
        // A load at pixel `index` reads 8 bytes: whole pixels `index`, `index + 1` and two bytes of the next.
        @inline(__always)
        func pair(_ pixel: Int) -> UInt64 {
            let word = UnsafeRawPointer(input + pixel &* 3).loadUnaligned(as: UInt64.self)
            let sum = (word & lanes) &* 19595 &+ ((word >> 8) & lanes) &* 38470 &+ ((word >> 16) & lanes) &* 7471
                &+ rounding
            return ((sum >> 16) & 0xFF) | ((sum >> 32) & 0xFF00)
        }
        #if _endian(little)
        while index &+ 4 < count {
            let four = UInt32(truncatingIfNeeded: pair(index) | pair(index &+ 2) << 16)
            UnsafeMutableRawPointer(out + index).storeBytes(of: four, as: UInt32.self)
            index &+= 4
        }
        #endif
        while index < count {
            let base = index &* 3
            out[index] = luminance(input[base], input[base &+ 1], input[base &+ 2])
            index &+= 1
        }
    }

    /// The image with every channel set to its first channel (Pillow `convert('L').convert('RGB')` of a gray
    /// image, torchvision's `dstack` of the L image).
    /// - Parameter channels: The channel count wanted (1, 3 or 4; a fourth channel is 255 as Pillow's `L → RGBA`).
    /// - Returns: The replicated image.
    func replicatingGray(to channels: Int) -> Image {
        guard channels != self.channels else { return self }
        let count = pixelCount
        var output = [UInt8](repeating: 255, count: count * channels)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for index in 0..<count {
                    let value = input[index * self.channels]
                    for c in 0..<min(channels, 3) { out[index * channels + c] = value }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// torchvision's `rgb_to_grayscale` on a PIL image: Pillow's L conversion, replicated to `outputChannels`.
    /// - Parameter outputChannels: 1, or 3 for three identical channels (4 adds an opaque fourth channel).
    /// - Returns: The gray image.
    public func grayscale(outputChannels: Int = 1) -> Image {
        guard channels == 3 && outputChannels == 3 else { return luminance().replicatingGray(to: outputChannels) }
        let count = pixelCount
        var output = [UInt8](repeating: 0, count: count * 3)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for index in 0..<count {
                    let pixel = input + index * 3
                    let value = Self.luminance(pixel[0], pixel[1], pixel[2])
                    out[index * 3] = value
                    out[index * 3 + 1] = value
                    out[index * 3 + 2] = value
                }
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: output)
    }
}
