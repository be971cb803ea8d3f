import Foundation
import ImageCodec

extension Image {
    /// torchvision's `adjust_hue` on a PIL image: converts to Pillow's 8-bit HSV, adds
    /// `UInt8(truncating: Int(hueFactor·255))` to H with wrap-around, and converts back to RGB with Pillow's formulas.
    /// Gray images are returned unchanged; a fourth channel is kept.
    /// - Parameter hueFactor: The hue shift in −0.5…0.5 (a fraction of the colour circle).
    /// - Returns: The shifted image.
    public func hueAdjusted(_ hueFactor: Double) -> Image {
        guard channels >= 3 else { return self }
        let shift = UInt8(truncatingIfNeeded: Int((hueFactor * 255).rounded(.towardZero)))
        let channels = self.channels, count = pixelCount
        var output = pixels
        output.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for index in 0..<count {
                let pixel = base + index * channels
                let (h, s, v) = Self.pillowHSV(pixel[0], pixel[1], pixel[2])
                let (r, g, b) = Self.pillowRGB(h &+ shift, s, v)
                pixel[0] = r
                pixel[1] = g
                pixel[2] = b
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// Pillow's RGB → HSV conversion of one pixel (each component scaled to 0…255 and truncated).
    static func pillowHSV(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> (UInt8, UInt8, UInt8) {
        let maxc = max(r, g, b), minc = min(r, g, b)
        guard maxc != minc else { return (0, 0, maxc) }
        let high = Float(maxc), low = Float(minc), range = high - low
        let s = range / high
        let cr = (high - Float(r)) / range, cg = (high - Float(g)) / range, cb = (high - Float(b)) / range
        var h: Float
        if r == maxc {
            h = cb - cg
        } else if g == maxc {
            h = Float(2.0 + Double(cr) - Double(cb))
        } else {
            h = Float(4.0 + Double(cg) - Double(cr))
        }
        // fmod(h/6 + 1, 1): the argument lies in [5/6, 11/6), where subtracting 1 is exact.
        let wrapped = Double(h) / 6.0 + 1.0
        h = Float(wrapped >= 1 ? wrapped - 1 : wrapped)
        func byte(_ value: Float) -> UInt8 { UInt8(min(max(Int(Double(value) * 255.0), 0), 255)) }
        return (byte(h), byte(s), maxc)
    }

    /// Pillow's HSV → RGB conversion of one pixel.
    static func pillowRGB(_ h: UInt8, _ s: UInt8, _ v: UInt8) -> (UInt8, UInt8, UInt8) {
        guard s != 0 else { return (v, v, v) }
        let sector = Int((Double(Float(h)) * 6.0 / 255.0).rounded(.down))
        let f = Float(Double(Float(h)) * 6.0 / 255.0 - Double(sector))
        let fs = Float(Double(Float(s)) / 255.0)
        let value = Double(Float(v))
        func byte(_ x: Double) -> UInt8 { UInt8(min(max(Int(x.rounded(.toNearestOrAwayFromZero)), 0), 255)) }
        let p = byte(value * (1.0 - Double(fs)))
        let q = byte(value * (1.0 - Double(fs * f)))
        let t = byte(value * (1.0 - Double(fs) * (1.0 - Double(f))))
        switch sector % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }
}
