import ImageCodec

/// Photograph-like test images for when the decode benchmark's photographs are missing: smooth multi-octave value
/// noise in colour (sky-like gradients, textured regions) plus mild per-pixel sensor noise.
enum ProceduralImage {
    /// Makes one image.
    /// - Parameters:
    ///   - seed: Picks the image.
    ///   - side: Width and height.
    /// - Returns: An RGB image.
    static func make(seed: Int, side: Int) -> Image {
        var random = SplitMix(seed: UInt64(seed) &* 0x9E37_79B9 &+ 1)
        let octaves = (0..<5).map { octave in Lattice(cells: 4 << octave, random: &random) }
        let tint = (0..<3).map { _ in 0.6 + 0.4 * random.unit() }
        var pixels = [UInt8](repeating: 0, count: side * side * 3)
        for y in 0..<side {
            for x in 0..<side {
                let u = Double(x) / Double(side), v = Double(y) / Double(side)
                var value = 0.0, amplitude = 0.5
                for lattice in octaves {
                    value += amplitude * lattice.sample(u, v)
                    amplitude *= 0.5
                }
                for channel in 0..<3 {
                    let shade = (0.15 + value * tint[channel] + 0.25 * v * Double(channel - 1)) * 255
                    let noise = (random.unit() + random.unit() - 1) * 3
                    pixels[(y * side + x) * 3 + channel] = UInt8(max(0, min(255, shade + noise)))
                }
            }
        }
        return Image(width: side, height: side, channels: 3, pixels: pixels)
    }

    /// A grid of random values, bilinearly interpolated with smoothstep.
    private struct Lattice {
        let cells: Int
        let values: [Double]

        init(cells: Int, random: inout SplitMix) {
            self.cells = cells
            values = (0..<(cells + 1) * (cells + 1)).map { _ in random.unit() }
        }

        func sample(_ u: Double, _ v: Double) -> Double {
            let x = u * Double(cells), y = v * Double(cells)
            let column = min(Int(x), cells - 1), row = min(Int(y), cells - 1)
            let fx = smooth(x - Double(column)), fy = smooth(y - Double(row))
            let at = { (c: Int, r: Int) in values[r * (cells + 1) + c] }
            let top = at(column, row) + (at(column + 1, row) - at(column, row)) * fx
            let bottom = at(column, row + 1) + (at(column + 1, row + 1) - at(column, row + 1)) * fx
            return top + (bottom - top) * fy
        }

        private func smooth(_ t: Double) -> Double { t * t * (3 - 2 * t) }
    }

    /// A small deterministic generator (SplitMix64).
    private struct SplitMix {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }
}
