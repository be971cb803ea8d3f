import Augment
import ImageCodec

/// One image-to-image request to a backend: a source image regenerated once per seed under fixed settings.
/// Everything around it (consistency filter, retries, similarity-driven guidance) is `GenerationPlan`'s job, so a
/// backend only has to do this.
public struct GenerationRequest: Sendable {
    /// The sample key (for errors and provenance).
    public var key: String
    /// The source image, in the generator's channel count (`GeneratorCapabilities.channels`).
    public var image: Image
    /// The label's readable text (the class name); class-conditional generators look it up in their class list.
    public var label: String
    /// The guidance text (label + caption), for text-conditioned generators.
    public var prompt: String
    /// Text to steer away from.
    public var negativePrompt: String
    /// How far the source is noised (0 keeps it, 1 ignores it).
    public var strength: Double
    /// Classifier-free guidance scale.
    public var guidance: Double
    /// Denoising steps of the full schedule (img2img runs the last `strength` share of them).
    public var steps: Int
    /// One generation per seed.
    public var seeds: [UInt64]
    /// Output size (generators that fit sources themselves return variants at the source's size instead).
    public var outputSize: PixelSize

    /// Creates a request.
    /// - Parameters:
    ///   - key: The sample key.
    ///   - image: The source image.
    ///   - label: The class name.
    ///   - prompt: The guidance text.
    ///   - negativePrompt: Text to steer away from.
    ///   - strength: Noise strength in (0, 1].
    ///   - guidance: Guidance scale.
    ///   - steps: Denoising steps.
    ///   - seeds: One per variant.
    ///   - outputSize: Output size.
    public init(key: String, image: Image, label: String, prompt: String, negativePrompt: String = "", strength: Double,
                guidance: Double, steps: Int, seeds: [UInt64], outputSize: PixelSize) {
        self.key = key
        self.image = image
        self.label = label
        self.prompt = prompt
        self.negativePrompt = negativePrompt
        self.strength = strength
        self.guidance = guidance
        self.steps = steps
        self.seeds = seeds
        self.outputSize = outputSize
    }
}

/// What a backend returned for one request.
public struct GenerationResult: Sendable {
    /// The sample key.
    public var key: String
    /// One image per requested seed, in seed order (empty when the item failed).
    public var images: [Image]
    /// Facts about the generation the backend wants recorded in the record's provenance (e.g. the class index a
    /// class-conditional model used), as JSON fields; empty for none.
    public var provenance: [String: JSONValue]
    /// The item's error, if it failed.
    public var error: GeneratorError?

    /// Creates a result.
    /// - Parameters:
    ///   - key: The sample key.
    ///   - images: One image per seed.
    ///   - provenance: Extra provenance fields.
    ///   - error: The item's error.
    public init(key: String, images: [Image], provenance: [String: JSONValue] = [:], error: GeneratorError? = nil) {
        self.key = key
        self.images = images
        self.provenance = provenance
        self.error = error
    }
}

/// What identifies a generator's outputs: model, revision, and everything else that changes them.
public struct GeneratorIdentity: Sendable, Hashable, Codable {
    /// The model id or path.
    public var model: String
    /// The model revision (a hub revision, or a content digest of a model folder).
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

/// What a generator can do, so callers ask instead of downcasting to a backend type.
public struct GeneratorCapabilities: Sendable, Hashable {
    /// What steers a generation.
    public enum Conditioning: String, Sendable, Hashable, Codable {
        /// A text prompt (label + caption), e.g. Stable Diffusion.
        case text
        /// The class label alone (a class-conditional model); captions do not steer it.
        case classLabel = "class-label"
        /// Nothing: an unconditional model (labels and captions are recorded, not used).
        case none
    }

    /// What steers a generation.
    public var conditioning: Conditioning
    /// Channels of the images it takes and returns: 3 (RGB) or 1 (grayscale).
    public var channels: Int
    /// Its natural generation size (`--size` defaults to it), or `nil` for the caller's default.
    public var defaultSize: PixelSize?
    /// Whether it brings each source to its generation size itself (pad or resize, as the model declares) and
    /// returns every variant at the source's size; otherwise the caller fits sources to the generation size.
    public var fitsSources: Bool
    /// Whether the plugin has a captioner.
    public var captions: Bool
    /// Whether the plugin has a consistency scorer (for `--min-score` and `--guidance-range`).
    public var scoring: Bool

    /// Creates a description.
    /// - Parameters:
    ///   - conditioning: What steers a generation.
    ///   - channels: 3 or 1.
    ///   - defaultSize: Natural generation size, or `nil`.
    ///   - fitsSources: Whether the generator fits sources itself.
    ///   - captions: Whether a captioner is available.
    ///   - scoring: Whether a scorer is available.
    public init(conditioning: Conditioning, channels: Int, defaultSize: PixelSize? = nil, fitsSources: Bool = false,
                captions: Bool = false, scoring: Bool = false) {
        self.conditioning = conditioning
        self.channels = channels
        self.defaultSize = defaultSize
        self.fitsSources = fitsSources
        self.captions = captions
        self.scoring = scoring
    }
}

/// An image-to-image generator backend (the diffusers worker, the native runtime, or a user's own).
public protocol ImageGenerator: Sendable {
    /// What identifies its outputs (part of the cache fingerprint).
    var identity: GeneratorIdentity { get }
    /// What it can do.
    var capabilities: GeneratorCapabilities { get }
    /// How many `generate` calls it serves at once; precompute feeds it that many batches.
    var parallelism: Int { get }
    /// Generates a batch of requests.
    /// - Parameter requests: The requests.
    /// - Returns: One result per request, in order (failed items carry their error).
    /// - Throws: `GeneratorError` when the whole batch failed.
    func generate(_ requests: [GenerationRequest]) throws(GeneratorError) -> [GenerationResult]
    /// Releases what it holds (worker processes, threads); called once at the end of a run.
    func shutdown()
    /// Stops the work under way as fast as it can, from any thread while others generate (the program got SIGTERM):
    /// calls under way and later ones may fail with `.stopped`. `shutdown()` still follows.
    func terminate()
}

extension ImageGenerator {
    /// One call at a time, unless the generator says otherwise.
    public var parallelism: Int { 1 }
    /// Nothing to release, unless the generator says otherwise.
    public func shutdown() {}
    /// Nothing to stop (calls under way finish), unless the generator says otherwise.
    public func terminate() {}
}

/// An image captioner plugin (BLIP in the diffusers worker, or a user's own).
public protocol Captioner: Sendable {
    /// What identifies its captions (part of the cache fingerprint).
    var captionerIdentity: GeneratorIdentity { get }
    /// Captions a batch of images.
    /// - Parameter images: Keys and images.
    /// - Returns: One caption per image, in order, or the item's error.
    /// - Throws: `GeneratorError` when the whole batch failed.
    func caption(_ images: [(key: String, image: Image)]) throws(GeneratorError) -> [Result<String, GeneratorError>]
}

/// One image to score against its label.
public struct ScoreRequest: Sendable {
    /// The sample key.
    public var key: String
    /// The image (a source or a generated variant).
    public var image: Image
    /// The label's readable text (class name).
    public var label: String
    /// The label prompt (`a photo of a {label}`), for text–image scorers such as CLIP.
    public var labelPrompt: String

    /// Creates a request.
    /// - Parameters:
    ///   - key: The sample key.
    ///   - image: The image.
    ///   - label: The class name.
    ///   - labelPrompt: The label prompt.
    public init(key: String, image: Image, label: String, labelPrompt: String) {
        self.key = key
        self.image = image
        self.label = label
        self.labelPrompt = labelPrompt
    }
}

/// A semantic-consistency scorer: how well an image shows its label (CLIP cosine similarity in the diffusers
/// worker; the probability of the label under a classifier in the native backend). Higher is more consistent.
public protocol ConsistencyScorer: Sendable {
    /// What identifies its scores.
    var scorerIdentity: GeneratorIdentity { get }
    /// Scores images against their labels. Requests sent together are scored together (a backend may batch them),
    /// so callers that need reproducible scores send the same groups.
    /// - Parameter requests: The images and labels.
    /// - Returns: One score per request, in order, or the item's error.
    /// - Throws: `GeneratorError` when the whole batch failed.
    func score(_ requests: [ScoreRequest]) throws(GeneratorError) -> [Result<Double, GeneratorError>]
}
