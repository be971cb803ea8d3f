import Foundation
import ImageCodec

extension Image {
    /// Pillow's `ImageFilter.GaussianBlur(radius)` (what timm's `GaussianBlur`/`GaussianBlurRand` operations call):
    /// three passes of an extended box blur per axis whose radius follows Gwosdek et al. in single precision, with
    /// Pillow's 24-bit fixed-point weights and edge replication (`libImaging/BoxBlur.c`). Not torchvision's
    /// kernel blur (`gaussianBlurred`).
    /// - Parameter radius: The Gaussian's standard deviation in pixels (`0` copies; rounded to single precision as
    ///   Pillow reads it).
    /// - Returns: The blurred image.
    public func pillowGaussianBlurred(radius: Double) -> Image {
        guard radius != 0, radius.isFinite, radius > 0, width > 0, height > 0 else { return self }
        let boxRadius = Self.pillowBoxRadius(Float(radius), passes: 3)
        guard boxRadius != 0 else { return self }
        var output = pixels
        let channels = self.channels, width = self.width, height = self.height
        output.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Horizontal passes over rows, then vertical passes over columns (Pillow transposes and blurs rows).
            Self.boxBlurLines(base, count: height * channels, length: width, step: channels,
                              linesPerRow: channels, rowStride: width * channels, radius: boxRadius)
            Self.boxBlurLines(base, count: width * channels, length: height, step: width * channels,
                              linesPerRow: width * channels, rowStride: 0, radius: boxRadius)
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// Pillow's `_gaussian_blur_radius`: the extended box radius `l + a` for a Gaussian of `radius`, in C's mix of
    /// float and double arithmetic.
    static func pillowBoxRadius(_ radius: Float, passes: Int) -> Float {
        let sigma2: Float = radius * radius / Float(passes)
        let boxLength = Float((12.0 * Double(sigma2) + 1.0).squareRoot())
        let l = Float(((Double(boxLength) - 1.0) / 2.0).rounded(.down))
        var a: Float = (2 * l + 1) * (l * (l + 1) - 3 * sigma2)
        a /= 6 * (sigma2 - (l + 1) * (l + 1))
        return l + a
    }

    /// Runs three in-place box-blur passes over `count` lines of `length` samples: line `i` starts at
    /// `(i / linesPerRow) * rowStride + (i % linesPerRow)` and its samples are `step` apart.
    private static func boxBlurLines(_ base: UnsafeMutablePointer<UInt8>, count: Int, length: Int, step: Int,
                                     linesPerRow: Int, rowStride: Int, radius floatRadius: Float) {
        let radius = Int(floatRadius)
        let ww = UInt32(Float(UInt32(1 << 24)) / (floatRadius * 2 + 1))
        let fw = (UInt32(1 << 24) &- UInt32(radius * 2 + 1) &* ww) / 2
        let edgeA = min(radius + 1, length), edgeB = max(length - radius - 1, 0)
        var line = [UInt8](repeating: 0, count: length), out = [UInt8](repeating: 0, count: length)
        for index in 0..<count {
            let start = (index / linesPerRow) * rowStride + (index % linesPerRow)
            for x in 0..<length { line[x] = base[start + x * step] }
            for _ in 0..<3 {
                blurLine(line, into: &out, radius: radius, edgeA: edgeA, edgeB: edgeB, ww: ww, fw: fw)
                swap(&line, &out)
            }
            for x in 0..<length { base[start + x * step] = line[x] }
        }
    }

    /// Pillow's `ImagingLineBoxBlur8` on one line (unsigned 32-bit wrapping arithmetic, as in C).
    private static func blurLine(_ input: [UInt8], into output: inout [UInt8], radius: Int, edgeA: Int, edgeB: Int,
                                 ww: UInt32, fw: UInt32) {
        let lastX = input.count - 1
        var acc = UInt32(input[0]) &* UInt32(radius + 1)
        if edgeA > 1 { for x in 0..<(edgeA - 1) { acc &+= UInt32(input[x]) } }
        acc &+= UInt32(input[lastX]) &* UInt32(truncatingIfNeeded: radius - edgeA + 1)
        for x in 0...lastX {
            let (subtract, add, left, right) = lineIndices(x, lastX: lastX, radius: radius, edgeA: edgeA, edgeB: edgeB)
            acc = acc &+ UInt32(input[add]) &- UInt32(input[subtract])
            let bulk = acc &* ww &+ (UInt32(input[left]) &+ UInt32(input[right])) &* fw
            output[x] = UInt8(truncatingIfNeeded: (bulk &+ (1 << 23)) >> 24)
        }
    }

    /// The samples `ImagingLineBoxBlur8` subtracts from and adds to its accumulator at `x`, and the two it weighs by
    /// the fractional part (`left`, `right`), per its three regions.
    private static func lineIndices(_ x: Int, lastX: Int, radius: Int, edgeA: Int, edgeB: Int)
        -> (subtract: Int, add: Int, left: Int, right: Int) {
        if edgeA <= edgeB {
            if x < edgeA { return (0, x + radius, 0, x + radius + 1) }
            if x < edgeB { return (x - radius - 1, x + radius, x - radius - 1, x + radius + 1) }
            return (x - radius - 1, lastX, x - radius - 1, lastX)
        }
        if x < edgeB { return (0, x + radius, 0, x + radius + 1) }
        if x < edgeA { return (0, lastX, 0, lastX) }
        return (x - radius - 1, lastX, x - radius - 1, lastX)
    }
}
