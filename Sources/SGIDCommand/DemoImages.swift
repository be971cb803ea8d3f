import Foundation
import ImageCodec

/// Procedural "natural-looking" images for the demo: smooth colour fields, hard-edged shapes and sensor-like noise,
/// generated from a seed so the demo needs no data files.
enum DemoImages {
    /// A small deterministic generator (SplitMix64).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    /// Makes one image.
    /// - Parameters:
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    ///   - seed: Selects the picture.
    /// - Returns: An RGB image.
    static func make(width: Int, height: Int, seed: UInt64) -> Image {
        var random = Generator(state: seed)
        var frequencies: [(Double, Double, Double)] = []
        for _ in 0..<3 { frequencies.append((random.unit() * 0.03 + 0.004, random.unit() * 0.03 + 0.004, random.unit() * 6)) }
        var shapes: [(x: Int, y: Int, radius: Int, colour: (UInt8, UInt8, UInt8))] = []
        for _ in 0..<6 {
            shapes.append((Int(random.unit() * Double(width)), Int(random.unit() * Double(height)),
                           Int(random.unit() * Double(min(width, height)) / 4) + 8,
                           (UInt8(random.unit() * 255), UInt8(random.unit() * 255), UInt8(random.unit() * 255))))
        }
        var image = Image(width: width, height: height, channels: 3)
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<height {
                for x in 0..<width {
                    var rgb = [0.0, 0.0, 0.0]
                    for channel in 0..<3 {
                        let (fx, fy, phase) = frequencies[channel]
                        rgb[channel] = 128 + 100 * sin(Double(x) * fx + phase) * cos(Double(y) * fy - phase)
                    }
                    for shape in shapes {
                        let dx = x - shape.x, dy = y - shape.y
                        if dx * dx + dy * dy < shape.radius * shape.radius {
                            rgb = [Double(shape.colour.0), Double(shape.colour.1), Double(shape.colour.2)]
                        }
                    }
                    let noise = (random.unit() - 0.5) * 12
                    let offset = (y * width + x) * 3
                    for channel in 0..<3 { pixels[offset + channel] = UInt8(clamping: Int(rgb[channel] + noise)) }
                }
            }
        }
        return image
    }
}
