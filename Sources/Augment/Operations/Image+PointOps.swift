import ImageCodec

extension Image {
    /// `255 − v` in every channel (Pillow `ImageOps.invert`).
    /// - Returns: The inverted image.
    public func inverted() -> Image { mapped(through: (0..<256).map { UInt8(255 - $0) }) }

    /// Keeps the top `bits` bits of every channel (Pillow `ImageOps.posterize`: `v & ~(2^(8−bits) − 1)`).
    /// - Parameter bits: Bits kept, clamped to 0…8 (0 gives black, 8 the image unchanged).
    /// - Returns: The posterized image.
    public func posterized(bits: Int) -> Image {
        let kept = min(max(bits, 0), 8)
        let mask = ~((1 << (8 - kept)) - 1)
        return mapped(through: (0..<256).map { UInt8($0 & mask & 255) })
    }

    /// Inverts every channel value at or above `threshold` (Pillow `ImageOps.solarize`: `v < t ? v : 255 − v`).
    /// - Parameter threshold: The threshold (256 or more leaves the image unchanged, 0 or less inverts it).
    /// - Returns: The solarized image.
    public func solarized(threshold: Int) -> Image {
        mapped(through: (0..<256).map { UInt8($0 < threshold ? $0 : 255 - $0) })
    }

    /// timm's `solarize_add`: adds `addition` to channel values below `threshold`, clamped to 0…255, and keeps
    /// the others.
    /// - Parameters:
    ///   - addition: The value added.
    ///   - threshold: Values below it are raised (timm's default is 128).
    /// - Returns: The transformed image.
    public func solarizedAdding(_ addition: Int, threshold: Int = 128) -> Image {
        mapped(through: (0..<256).map { UInt8($0 < threshold ? min(max($0 + addition, 0), 255) : $0) })
    }
}
