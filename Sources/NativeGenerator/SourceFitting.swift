import Augment
import Diffusion
import ImageCodec

/// Brings a source image to a model's sample size and its generations back to the source's size, as the model folder
/// declares (`NativeModelFolder.Fit`).
struct SourceFitting: Sendable {
    let fit: NativeModelFolder.Fit
    let padValue: UInt8
    let size: PixelSize
    let channels: Int

    /// The source in the model's channel count (RGB → Pillow's `convert('L')`, gray → replicated), at the sample size.
    func fitted(_ source: Image) -> Image {
        var image = source
        if image.channels != channels {
            if channels == 1 {
                image = image.channels >= 3 ? image.luminance() : image
            } else if image.channels == 1 {
                image = Image(width: image.width, height: image.height, channels: 3, pixels: image.pixels.flatMap { [$0, $0, $0] })
            }
        }
        let current = PixelSize(width: image.width, height: image.height)
        guard current != size else { return image }
        if fit == .pad, current.width <= size.width, current.height <= size.height {
            var padded = Image(width: size.width, height: size.height, channels: channels,
                               pixels: [UInt8](repeating: padValue, count: size.width * size.height * channels))
            let (left, top) = ((size.width - current.width) / 2, (size.height - current.height) / 2)
            for y in 0..<current.height {
                for x in 0..<current.width {
                    for c in 0..<channels { padded[left + x, top + y, c] = image[x, y, c] }
                }
            }
            return padded
        }
        return image.resized(to: size, filter: .bicubic)
    }

    /// A generation brought back to the source's size (the padding cropped off, or resized back).
    func restored(_ generated: Image, to source: PixelSize) -> Image {
        let current = PixelSize(width: generated.width, height: generated.height)
        guard current != source else { return generated }
        if fit == .pad, source.width <= current.width, source.height <= current.height {
            let (left, top) = ((current.width - source.width) / 2, (current.height - source.height) / 2)
            return generated.cropped(to: PixelRegion(x: left, y: top, width: source.width, height: source.height))
        }
        return generated.resized(to: source, filter: .bicubic)
    }
}
