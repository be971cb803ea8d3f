import ImageCodec

extension Image {
    /// Pillow's `Image.blend(self, other, alpha)`: per byte `self + alpha·(other − self)` in single precision,
    /// truncated (and clamped to 0…255 when `alpha` lies outside 0…1); `alpha` 0 and 1 copy an input.
    /// - Parameters:
    ///   - other: An image of the same shape.
    ///   - alpha: The weight of `other` (rounded to single precision, as Pillow takes it).
    /// - Returns: The blend.
    /// - Precondition: both images have the same shape and `alpha` is finite in single precision.
    public func blended(with other: Image, alpha: Double) -> Image {
        precondition(width == other.width && height == other.height && channels == other.channels, "blend of unequal images")
        let weight = Float(alpha)
        precondition(weight.isFinite, "blend factor \(alpha) is not finite")
        if weight == 0 { return self }
        if weight == 1 { return other }
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { first in
            other.pixels.withUnsafeBufferPointer { second in
                output.withUnsafeMutableBufferPointer { target in
                    guard let a = first.baseAddress, let b = second.baseAddress, let out = target.baseAddress else { return }
                    Self.blendKernel(a, b, out, count: target.count, weight: weight)
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// Blends with a constant image whose every byte is `value` as first input (the degenerate image of
    /// Brightness and Contrast), without building that image; a fourth (alpha) channel is kept, as Pillow's
    /// enhancers copy the alpha into the degenerate image.
    /// - Parameters:
    ///   - value: The constant's byte.
    ///   - alpha: The weight of `self`.
    /// - Returns: `blend(constant, self, alpha)`.
    func blended(fromConstant value: UInt8, alpha: Double) -> Image {
        let weight = Float(alpha)
        precondition(weight.isFinite, "blend factor \(alpha) is not finite")
        if weight == 1 { return self }
        // The result depends on the byte only: one table.
        let base = Float(value)
        var table = [UInt8](repeating: 0, count: 256)
        for input in 0..<256 {
            table[input] = weight == 0 ? value : Self.clampTruncate(base + weight * Float(input - Int(value)))
        }
        guard channels == 4 else { return mapped(through: table) }
        return mapped(throughPerChannel: [table, table, table, (0..<256).map { UInt8($0) }])
    }

    /// `(uint8)` of a value clamped to 0…255, truncated (Pillow's float-to-byte store).
    ///
    /// Written without a trapping float-to-integer conversion so that loops over it vectorise: adding 2²³ rounds
    /// a value in 0…255 to the nearest integer exactly, one is taken off when that rounded up, and the integer is
    /// read from the low bits of `integer + 2²³`.
    @inline(__always)
    static func clampTruncate(_ value: Float) -> UInt8 {
        let magic: Float = 8_388_608
        let clamped = min(max(value, 0), 255)
        let rounded = (clamped + magic) - magic
        let truncated = rounded > clamped ? rounded - 1 : rounded
        return UInt8(truncatingIfNeeded: (truncated + magic).bitPattern)
    }

    /// Pillow's blend loop over `count` bytes: `out = clamp(a + weight·(b − a))`, truncated.
    static func blendKernel(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>,
                            count: Int, weight: Float) {
        for index in 0..<count {
            let first = Int32(a[index])
            out[index] = clampTruncate(Float(first) + weight * Float(Int32(b[index]) &- first))
        }
    }
}
