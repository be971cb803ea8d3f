import CacheShard
import Foundation
import ImageCodec

/// Everything about a generation run that changes its outputs, besides the generator itself. Together with the
/// generator's identity it makes the cache fingerprint: change any of it and the cache misses instead of serving
/// stale generations. Defaults follow the closest public systems (see the project README).
public struct GenerationSettings: Sendable, Hashable, Codable {
    /// How variants are stored in the cache.
    public enum StoredCodec: String, Sendable, Hashable, Codable {
        /// Raw pixels (fastest to fetch).
        case raw
        /// PNG (lossless, smaller).
        case png
        /// JPEG at `jpegQuality` (smallest).
        case jpeg
    }

    /// Variants per source image (K).
    public var variants: Int
    /// img2img strengths; variant i uses `strengths[i % count]`.
    public var strengths: [Double]
    /// Guidance scale.
    public var guidance: Double
    /// Similarity-driven guidance range (SGID): set → the guidance is chosen per image in this range.
    public var guidanceRange: ClosedRange<Double>?
    /// Denoising steps.
    public var steps: Int
    /// Base seed; variant seeds derive from (seed, key, variant).
    public var seed: UInt64
    /// Negative prompt.
    public var negativePrompt: String
    /// Generation size (the source is resized — shorter side, then centre crop — to it).
    public var size: PixelSize
    /// Consistency filter threshold (needs a scorer), or `nil`.
    public var minScore: Double?
    /// Regenerations per variant under the filter.
    public var maxRetries: Int
    /// Prompt template and mode.
    public var prompt: PromptBuilder
    /// Storage codec.
    public var codec: StoredCodec
    /// JPEG quality when `codec == .jpeg`.
    public var jpegQuality: Int

    /// Creates settings.
    /// - Parameters:
    ///   - variants: K (default 10, as DA-Fusion's M).
    ///   - strengths: Strengths (default [0.5]).
    ///   - guidance: Guidance scale (default 7.5).
    ///   - guidanceRange: Similarity-driven range, or `nil`.
    ///   - steps: Denoising steps (default 50).
    ///   - seed: Base seed.
    ///   - negativePrompt: Negative prompt.
    ///   - size: Generation size (default 512×512).
    ///   - minScore: Consistency threshold, or `nil`.
    ///   - maxRetries: Regenerations under the threshold (default 2).
    ///   - prompt: Prompt template and mode.
    ///   - codec: Storage codec (default raw).
    ///   - jpegQuality: JPEG quality (default 95).
    public init(variants: Int = 10, strengths: [Double] = [0.5], guidance: Double = 7.5,
                guidanceRange: ClosedRange<Double>? = nil, steps: Int = 50, seed: UInt64 = 0, negativePrompt: String = "",
                size: PixelSize = PixelSize(width: 512, height: 512), minScore: Double? = nil, maxRetries: Int = 2,
                prompt: PromptBuilder = PromptBuilder(), codec: StoredCodec = .raw, jpegQuality: Int = 95) {
        self.variants = variants
        self.strengths = strengths
        self.guidance = guidance
        self.guidanceRange = guidanceRange
        self.steps = steps
        self.seed = seed
        self.negativePrompt = negativePrompt
        self.size = size
        self.minScore = minScore
        self.maxRetries = maxRetries
        self.prompt = prompt
        self.codec = codec
        self.jpegQuality = jpegQuality
    }

    /// The seed of variant `index` of sample `key`: a hash of (seed, key, index), so ranks and reruns agree.
    /// - Parameters:
    ///   - key: The sample key.
    ///   - index: The variant number.
    /// - Returns: A seed below 2^53 (exact in JSON and in `torch.Generator.manual_seed`).
    public func variantSeed(key: String, index: Int) -> UInt64 {
        var hasher = SHA256()
        Array("\(seed)\u{0}\(key)\u{0}\(index)".utf8).withUnsafeBytes { hasher.update($0) }
        return hasher.finalize().prefix64 & ((1 << 53) - 1)
    }

    /// The cache fingerprint: `sha256:` + hex of the canonical JSON of these settings and the generator's and
    /// captioner's identities.
    /// - Parameters:
    ///   - generator: The generator's identity.
    ///   - captioner: The captioner's identity (`nil` = no captions).
    /// - Returns: The fingerprint.
    public func fingerprint(generator: GeneratorIdentity, captioner: GeneratorIdentity?) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        struct Identity: Encodable {
            let settings: GenerationSettings
            let generator: GeneratorIdentity
            let captioner: GeneratorIdentity?
        }
        let data = (try? encoder.encode(Identity(settings: self, generator: generator, captioner: captioner))) ?? Data()
        return "sha256:" + SHA256.digest([UInt8](data)).description
    }
}
