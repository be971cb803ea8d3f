import ImageCodec
import VectorKernels

extension Image {
    /// Pillow `ImageEnhance.Color(image).enhance(factor)` (torchvision `adjust_saturation`): blends the gray version
    /// (`convert('L')` replicated to the channels) towards the image; a gray image is unchanged.
    /// - Parameter factor: 0 gives gray, 1 the image, more oversaturates.
    /// - Returns: The enhanced image.
    public func colorEnhanced(_ factor: Double) -> Image {
        guard channels >= 3 else { return self }
        if channels == 3 { return colorEnhancedRGB(Float(factor), vector: VectorKernelSupport.available) }
        var degenerate = luminance().replicatingGray(to: channels)
        if channels == 4 {
            // Pillow converts RGBA through LA: the fourth channel survives.
            degenerate.pixels.withUnsafeMutableBufferPointer { target in
                for index in 0..<pixelCount { target[index * 4 + 3] = pixels[index * 4 + 3] }
            }
        }
        return degenerate.blended(with: self, alpha: factor)
    }

    /// Pillow `ImageEnhance.Contrast(image).enhance(factor)` (torchvision `adjust_contrast`): blends a constant
    /// image at `int(mean + 0.5)` of the L image towards the image.
    /// - Parameter factor: 0 gives the mean gray, 1 the image.
    /// - Returns: The enhanced image.
    public func contrastEnhanced(_ factor: Double) -> Image {
        let histogram = luminance().channelHistograms()[0]
        var total = 0.0
        for (value, count) in histogram.enumerated() { total += Double(value * count) }
        let mean = pixelCount == 0 ? 0 : total / Double(pixelCount)
        let level = UInt8(min(max(Int(mean + 0.5), 0), 255))
        return blended(fromConstant: level, alpha: factor)
    }

    /// Pillow `ImageEnhance.Brightness(image).enhance(factor)` (torchvision `adjust_brightness`): blends black
    /// towards the image.
    /// - Parameter factor: 0 gives black, 1 the image.
    /// - Returns: The enhanced image.
    public func brightnessEnhanced(_ factor: Double) -> Image { blended(fromConstant: 0, alpha: factor) }

    /// Pillow `ImageEnhance.Sharpness(image).enhance(factor)` (torchvision `adjust_sharpness`): blends the
    /// SMOOTH-filtered image towards the image.
    /// - Parameter factor: 0 gives the smoothed image, 1 the image, 2 sharpens.
    /// - Returns: The enhanced image.
    public func sharpnessEnhanced(_ factor: Double) -> Image {
        var degenerate = smoothed()
        if channels == 4 {
            degenerate.pixels.withUnsafeMutableBufferPointer { target in
                for index in 0..<pixelCount { target[index * 4 + 3] = pixels[index * 4 + 3] }
            }
        }
        return degenerate.blended(with: self, alpha: factor)
    }

    /// `colorEnhanced` for three channels in one pass: the gray value and the three blends per pixel.
    /// - Parameters:
    ///   - weight: The factor in single precision.
    ///   - vector: Whether the AVX2 kernel may run (the same bytes; tests compare the two).
    /// - Returns: The enhanced image.
    func colorEnhancedRGB(_ weight: Float, vector: Bool) -> Image {
        precondition(weight.isFinite, "enhance factor \(weight) is not finite")
        if weight == 1 { return self }
        let count = pixelCount
        if vector {
            let output = filledPixels(count: count * 3) { sgid_color_enhance_rgb($0, count, $1, weight) }
            return Image(width: width, height: height, channels: 3, pixels: output)
        }
        var output = [UInt8](repeating: 0, count: count * 3)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for index in 0..<count {
                    let pixel = input + index * 3, to = out + index * 3
                    let gray = Int32(Self.luminance(pixel[0], pixel[1], pixel[2])), base = Float(gray)
                    to[0] = Self.clampTruncate(base + weight * Float(Int32(pixel[0]) - gray))
                    to[1] = Self.clampTruncate(base + weight * Float(Int32(pixel[1]) - gray))
                    to[2] = Self.clampTruncate(base + weight * Float(Int32(pixel[2]) - gray))
                }
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: output)
    }
}
