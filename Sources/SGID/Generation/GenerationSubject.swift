import Augment
import CacheShard
import ImageCodec

/// A source image prepared for generation: identity, label text, caption and pixels.
public struct GenerationSubject: Sendable {
    /// The sample key.
    public var key: String
    /// SHA-256 of the source image's encoded bytes.
    public var sourceDigest: SourceDigest
    /// The label's readable text (class name).
    public var label: String
    /// The caption, once captioned.
    public var caption: String?
    /// The pixels the generator starts from: fitted to the generation size (shorter side, bicubic, centre crop), or
    /// as decoded when the generator fits sources itself.
    public var image: Image

    /// Creates a subject.
    /// - Parameters:
    ///   - key: The sample key.
    ///   - sourceDigest: SHA-256 of the encoded source.
    ///   - label: The label text.
    ///   - caption: The caption, if known.
    ///   - image: The prepared pixels.
    public init(key: String, sourceDigest: SourceDigest, label: String, caption: String? = nil, image: Image) {
        self.key = key
        self.sourceDigest = sourceDigest
        self.label = label
        self.caption = caption
        self.image = image
    }

    /// Prepares a sample whose image is still encoded: label text, decode in the generator's channel count, and
    /// (unless the generator fits sources itself) the fit to the generation size.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - digest: SHA-256 of its encoded bytes.
    ///   - settings: The run's settings (generation size).
    ///   - classNames: Class names for label text.
    ///   - capabilities: The generator's channels and fitting.
    /// - Throws: `GeneratorError` (`.invalidArgument`) when the sample has no label or its image does not decode.
    public init(preparing sample: Sample, digest: SourceDigest, settings: GenerationSettings, classNames: [String],
                capabilities: GeneratorCapabilities) throws(GeneratorError) {
        guard let label = LabelText.of(sample, classNames: classNames) else {
            throw GeneratorError(.invalidArgument, "sample has no label for the prompt", key: sample.key)
        }
        var copy = sample
        copy.decodeOptions.mode = capabilities.channels == 1 ? .gray : .rgb
        let image: Image
        do {
            image = try copy.pixels()
        } catch {
            throw GeneratorError(.invalidArgument, "source does not decode: \(error.message)", key: sample.key)
        }
        self.init(key: sample.key, sourceDigest: digest, label: label, caption: sample.caption,
                  image: capabilities.fitsSources ? image : Self.fit(image, to: settings.size))
    }

    /// Fits an image to the generation size: shorter side resized with Pillow's bicubic, then a centre crop.
    /// - Parameters:
    ///   - image: The decoded source.
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
