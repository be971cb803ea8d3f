import ImageCodec

/// One image-to-image generation request: a source image regenerated K times under a prompt.
public struct GenerationRequest: Sendable {
    /// The sample key (for errors and provenance).
    public var key: String
    /// The source image (RGB).
    public var image: Image
    /// The guidance text (label + caption).
    public var prompt: String
    /// Text to steer away from.
    public var negativePrompt: String
    /// The label-only text, for consistency scores and similarity-driven guidance.
    public var labelPrompt: String
    /// How far the source is noised (0 keeps it, 1 ignores it).
    public var strength: Double
    /// Classifier-free guidance scale.
    public var guidance: Double
    /// Similarity-driven guidance: the scale is chosen in this range from the source's similarity to `labelPrompt`.
    public var guidanceRange: ClosedRange<Double>?
    /// Denoising steps.
    public var steps: Int
    /// One generation per seed.
    public var seeds: [UInt64]
    /// Output size.
    public var outputSize: PixelSize
    /// Variants scoring below this are regenerated (then dropped); `nil` = no filter.
    public var minScore: Double?
    /// Regenerations allowed per variant under the filter.
    public var maxRetries: Int

    /// Creates a request.
    /// - Parameters:
    ///   - key: The sample key.
    ///   - image: The source image (RGB).
    ///   - prompt: The guidance text.
    ///   - negativePrompt: Text to steer away from.
    ///   - labelPrompt: The label-only text.
    ///   - strength: Noise strength in 0...1.
    ///   - guidance: Guidance scale.
    ///   - guidanceRange: Similarity-driven guidance range, or `nil`.
    ///   - steps: Denoising steps.
    ///   - seeds: One per variant.
    ///   - outputSize: Output size.
    ///   - minScore: Consistency threshold, or `nil`.
    ///   - maxRetries: Regenerations per variant under the threshold.
    public init(key: String, image: Image, prompt: String, negativePrompt: String = "", labelPrompt: String,
                strength: Double, guidance: Double, guidanceRange: ClosedRange<Double>? = nil, steps: Int,
                seeds: [UInt64], outputSize: PixelSize, minScore: Double? = nil, maxRetries: Int = 0) {
        self.key = key
        self.image = image
        self.prompt = prompt
        self.negativePrompt = negativePrompt
        self.labelPrompt = labelPrompt
        self.strength = strength
        self.guidance = guidance
        self.guidanceRange = guidanceRange
        self.steps = steps
        self.seeds = seeds
        self.outputSize = outputSize
        self.minScore = minScore
        self.maxRetries = maxRetries
    }
}

/// One generated variant.
public struct GeneratedVariant: Sendable {
    /// The image (`nil` when the consistency filter dropped the variant).
    public var image: Image?
    /// The seed that produced the kept image (after regenerations).
    public var seed: UInt64
    /// The seed that was asked for.
    public var requestedSeed: UInt64
    /// The consistency score, if scored.
    public var score: Double?
    /// Generations made for this variant (1 + regenerations).
    public var attempts: Int
    /// Whether the filter dropped it.
    public var dropped: Bool { image == nil }
}

/// What a generator returned for one request.
public struct GenerationResult: Sendable {
    /// The sample key.
    public var key: String
    /// The variants, in seed order (dropped ones have no image).
    public var variants: [GeneratedVariant]
    /// The guidance scale actually used.
    public var guidance: Double
    /// The source's similarity to its label prompt, when measured.
    public var similarity: Double?
    /// The item's error, if it failed (then `variants` is empty).
    public var error: GeneratorError?
}

/// What identifies a generator's outputs: model, revision, pipeline, scheduler and its configuration.
public struct GeneratorIdentity: Sendable, Hashable, Codable {
    /// The model id or path.
    public var model: String
    /// The model revision.
    public var revision: String
    /// Everything else that changes outputs, as canonical JSON (pipeline, scheduler, scheduler config, dtype).
    public var detailsJSON: String

    /// Creates an identity.
    /// - Parameters:
    ///   - model: Model id or path.
    ///   - revision: Revision.
    ///   - detailsJSON: Canonical JSON of the other output-changing details.
    public init(model: String, revision: String, detailsJSON: String) {
        self.model = model
        self.revision = revision
        self.detailsJSON = detailsJSON
    }
}

/// An image-to-image generator plugin (the diffusers worker, or a user's own).
public protocol ImageGenerator: Sendable {
    /// What identifies its outputs (part of the cache fingerprint).
    var identity: GeneratorIdentity { get }
    /// How many `generate` calls it serves at once (its worker count); precompute feeds it that many batches.
    var parallelism: Int { get }
    /// Generates a batch of requests.
    /// - Parameter requests: The requests.
    /// - Returns: One result per request, in order (failed items carry their error).
    /// - Throws: `GeneratorError` when the whole batch failed.
    func generate(_ requests: [GenerationRequest]) throws(GeneratorError) -> [GenerationResult]
}

extension ImageGenerator {
    /// One call at a time, unless the generator says otherwise.
    public var parallelism: Int { 1 }
}

/// An image captioner plugin (BLIP in the diffusers worker, or a user's own).
public protocol Captioner: Sendable {
    /// What identifies its captions (part of the cache fingerprint).
    var captionerIdentity: GeneratorIdentity { get }
    /// Captions a batch of images.
    /// - Parameter images: Keys and RGB images.
    /// - Returns: One caption per image, in order, or the item's error.
    /// - Throws: `GeneratorError` when the whole batch failed.
    func caption(_ images: [(key: String, image: Image)]) throws(GeneratorError) -> [Result<String, GeneratorError>]
}
