import ImageCodec

extension Batch {
    /// One image of the batch as 8-bit pixels (HWC): the bytes of a `.uint8NHWC` batch, or a Float32 batch's values
    /// mapped back through its normalisation (`(x · std + mean) · 255`, rounded and clamped), e.g. to look at what a
    /// training step saw.
    /// - Parameter slot: The sample's index in the batch, `0..<count`.
    /// - Returns: The image.
    public func image(at slot: Int) -> Image {
        precondition((0..<count).contains(slot), "slot \(slot) is outside the batch of \(count)")
        var image = Image(width: width, height: height, channels: channels)
        let elements = imageElements, plane = width * height
        switch format {
        case .uint8NHWC:
            withUInt8Images { image.pixels = Array($0[slot * elements..<(slot + 1) * elements]) }
        case .float32NHWC(let normalization), .float32NCHW(let normalization):
            let planar = if case .float32NCHW = format { true } else { false }
            withFloatImages { floats in
                for channel in 0..<channels {
                    let std = normalization.std[min(channel, normalization.std.count - 1)]
                    let mean = normalization.mean[min(channel, normalization.mean.count - 1)]
                    for pixel in 0..<plane {
                        let index = slot * elements + (planar ? channel * plane + pixel : pixel * channels + channel)
                        image.pixels[pixel * channels + channel] = UInt8(clamping: Int(((floats[index] * std + mean) * 255).rounded()))
                    }
                }
            }
        }
        return image
    }
}
