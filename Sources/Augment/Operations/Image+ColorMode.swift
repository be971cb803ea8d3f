import ImageCodec

extension Image {
    /// The image in the channels of a decode mode, as Pillow converts: a gray image to `.rgb` repeats its channel
    /// (`convert('RGB')` of an L image), a colour image to `.gray` is its luminance (`convert('L')`); an image already
    /// in the mode is returned as is. What a pixel-space generator cached (one channel for a gray model) so comes back
    /// in the channels the loader decodes every other sample to.
    /// - Parameter mode: The decode mode whose channels are wanted.
    /// - Returns: The converted image.
    public func converted(to mode: ColorMode) -> Image {
        switch (mode, channels) {
        case (.rgb, 3), (.gray, 1): self
        case (.rgb, _): channels == 1 ? replicatingGray(to: 3) : Image(width: width, height: height, channels: 3,
                                                                       pixels: rgbPixelsDroppingExtraChannels())
        case (.gray, _): luminance()
        }
    }

    /// The first three channels of every pixel (a fourth is dropped, as Pillow's `RGBA → RGB`).
    private func rgbPixelsDroppingExtraChannels() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: pixelCount * 3)
        for index in 0..<pixelCount {
            for c in 0..<min(3, channels) { output[index * 3 + c] = pixels[index * channels + c] }
        }
        return output
    }
}
