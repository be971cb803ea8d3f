import Augment
import CacheShard
import ImageCodec

/// A source image prepared for generation: identity, label text, caption and pixels at the generation size.
public struct GenerationSubject: Sendable {
    /// The sample key.
    public var key: String
    /// SHA-256 of the source image's encoded bytes.
    public var sourceDigest: SourceDigest
    /// The label's readable text (class name).
    public var label: String
    /// The caption, once captioned.
    public var caption: String?
    /// The source resized (shorter side, bicubic) and centre-cropped to the generation size.
    public var image: Image

    /// Creates a subject.
    /// - Parameters:
    ///   - key: The sample key.
    ///   - sourceDigest: SHA-256 of the encoded source.
    ///   - label: The label text.
    ///   - caption: The caption, if known.
    ///   - image: Pixels at the generation size.
    public init(key: String, sourceDigest: SourceDigest, label: String, caption: String? = nil, image: Image) {
        self.key = key
        self.sourceDigest = sourceDigest
        self.label = label
        self.caption = caption
        self.image = image
    }

    /// Fits an image to the generation size: shorter side resized with Pillow's bicubic, then a centre crop.
    /// - Parameters:
    ///   - image: The decoded source (RGB).
    ///   - size: The generation size.
    /// - Returns: The fitted image.
    public static func fit(_ image: Image, to size: PixelSize) -> Image {
        let scale = max(Double(size.width) / Double(image.width), Double(size.height) / Double(image.height))
        let resized = PixelSize(width: max(size.width, Int((Double(image.width) * scale).rounded())),
                                height: max(size.height, Int((Double(image.height) * scale).rounded())))
        let scaled = resized == PixelSize(width: image.width, height: image.height)
            ? image : image.resized(to: resized, filter: .bicubic)
        return CenterCrop.apply(scaled, size: size)
    }
}
