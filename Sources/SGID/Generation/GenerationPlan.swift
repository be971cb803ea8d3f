import Augment
import CacheShard
import Foundation
import ImageCodec

/// One variant as the consistency policy left it.
public struct GeneratedVariant: Sendable {
    /// The image (`nil` when the filter dropped the variant).
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

/// One subject's generation: its requests (one per distinct strength), their variants, the guidance used.
public struct SubjectGeneration: Sendable {
    /// The variants of one strength.
    public struct Group: Sendable {
        /// The request of the first attempt.
        public var request: GenerationRequest
        /// The variant numbers (0 ..< K) the request covers, in seed order.
        public var variantNumbers: [Int]
        /// The variants, parallel to `variantNumbers` (empty until generated).
        public var variants: [GeneratedVariant]
    }

    /// The prepared source.
    public var subject: GenerationSubject
    /// The requests and their variants.
    public var groups: [Group]
    /// The source's score against its label (similarity-driven guidance), when measured.
    public var similarity: Double?
    /// The guidance scale generated with.
    public var guidance: Double
    /// Provenance fields the backend reported.
    public var provenance: [String: JSONValue] = [:]
    /// The failure, if any (then no record is written).
    public var error: GeneratorError?
}

/// SGID generation, backend-neutral: a subject and settings become requests; the backend's images go through the
/// `ConsistencyPolicy` (similarity-driven guidance, scoring, regeneration under a threshold); the result becomes a
/// cache record with provenance. Precompute runs the steps as separate stages (`generate`, then `score`);
/// on-demand generation runs them back to back.
public enum GenerationPlan {
    /// One request per distinct strength (variant i uses `strengths[i % count]`), each with its variants' seeds.
    /// - Parameters:
    ///   - subject: The prepared source.
    ///   - settings: The run's settings.
    ///   - guidance: The guidance scale (the nominal one unless similarity-driven).
    /// - Returns: The groups, variants not generated yet.
    public static func groups(for subject: GenerationSubject, settings: GenerationSettings,
                              guidance: Double) -> [SubjectGeneration.Group] {
        var byStrength: [Double: [Int]] = [:]
        var order: [Double] = []
        for index in 0..<settings.variants {
            let strength = settings.strengths[index % settings.strengths.count]
            if byStrength[strength] == nil { order.append(strength) }
            byStrength[strength, default: []].append(index)
        }
        return order.map { strength in
            let numbers = byStrength[strength]!
            let request = GenerationRequest(
                key: subject.key, image: subject.image, label: subject.label,
                prompt: settings.prompt.prompt(label: subject.label, caption: subject.caption),
                negativePrompt: settings.negativePrompt, strength: strength, guidance: guidance, steps: settings.steps,
                seeds: numbers.map { settings.variantSeed(key: subject.key, index: $0) }, outputSize: settings.size)
            return SubjectGeneration.Group(request: request, variantNumbers: numbers, variants: [])
        }
    }

    /// The score request of an image of a subject.
    static func scoreRequest(_ subject: GenerationSubject, _ image: Image, settings: GenerationSettings) -> ScoreRequest {
        ScoreRequest(key: subject.key, image: image, label: subject.label,
                     labelPrompt: settings.prompt.labelPrompt(label: subject.label))
    }

    /// The first attempt of every subject: the guidance (scoring each source alone when it is similarity-driven),
    /// then one `generate` call for all their requests.
    /// - Parameters:
    ///   - subjects: The prepared sources.
    ///   - settings: The run's settings.
    ///   - generator: The backend.
    ///   - scorer: The scorer (needed for similarity-driven guidance).
    /// - Returns: One generation per subject, in order; failures carry their error.
    public static func firstAttempts(_ subjects: [GenerationSubject], settings: GenerationSettings,
                                     generator: any ImageGenerator, scorer: (any ConsistencyScorer)?) -> [SubjectGeneration] {
        let policy = ConsistencyPolicy(settings)
        var generations: [SubjectGeneration] = subjects.map { subject in
            SubjectGeneration(subject: subject, groups: [], similarity: nil, guidance: settings.guidance)
        }
        if policy.guidanceRange != nil {
            for index in generations.indices {
                let subject = generations[index].subject
                guard let scorer else {
                    generations[index].error = GeneratorError(.invalidArgument, "similarity-driven guidance needs a scorer", key: subject.key)
                    continue
                }
                do throws(GeneratorError) {
                    // Alone, as the source's similarity has always been measured (scores can depend on the batch).
                    let similarity = try scorer.score([scoreRequest(subject, subject.image, settings: settings)]).first!.get()
                    generations[index].similarity = similarity
                    generations[index].guidance = policy.guidance(nominal: settings.guidance, similarity: similarity)
                } catch {
                    generations[index].error = error
                }
            }
        }
        for index in generations.indices where generations[index].error == nil {
            generations[index].groups = groups(for: generations[index].subject, settings: settings, guidance: generations[index].guidance)
        }
        let live = generations.indices.filter { generations[$0].error == nil }
        let requests = live.flatMap { generations[$0].groups.map(\.request) }
        guard !requests.isEmpty else { return generations }
        let results: [GenerationResult]
        do throws(GeneratorError) {
            results = try generator.generate(requests)
        } catch {
            for index in live { generations[index].error = error }
            return generations
        }
        var offset = 0
        for index in live {
            for group in generations[index].groups.indices {
                let result = results[offset]
                offset += 1
                let seeds = generations[index].groups[group].request.seeds
                if let error = result.error ?? (result.images.count == seeds.count ? nil
                    : GeneratorError(.protocolViolation, "\(result.images.count) images for \(seeds.count) seeds", key: result.key)) {
                    if generations[index].error == nil { generations[index].error = error }
                    continue
                }
                generations[index].groups[group].variants = zip(seeds, result.images).map { seed, image in
                    GeneratedVariant(image: image, seed: seed, requestedSeed: seed, score: nil, attempts: 1)
                }
                generations[index].provenance.merge(result.provenance) { _, new in new }
            }
        }
        return generations
    }

    /// Scores a generation's variants (every variant, with a scorer) and regenerates those under the threshold with
    /// their retry seeds, scoring each attempt, until they pass or `maxRetries` regenerations are spent (then they are
    /// dropped). Each group's images of one attempt are scored together, in one call.
    /// - Parameters:
    ///   - generation: The generation after `firstAttempts`.
    ///   - settings: The run's settings.
    ///   - generator: The backend (for regenerations).
    ///   - scorer: The scorer; without one, nothing changes.
    public static func scoreAndRegenerate(_ generation: inout SubjectGeneration, settings: GenerationSettings,
                                          generator: any ImageGenerator, scorer: (any ConsistencyScorer)?) {
        guard let scorer, generation.error == nil else { return }
        let policy = ConsistencyPolicy(settings)
        let subject = generation.subject
        do throws(GeneratorError) {
            for group in generation.groups.indices {
                var pending = Array(generation.groups[group].variants.indices)
                var attempt = 0
                while !pending.isEmpty {
                    if attempt > 0 {
                        var request = generation.groups[group].request
                        request.seeds = pending.map {
                            ConsistencyPolicy.seed(generation.groups[group].variants[$0].requestedSeed, attempt: attempt)
                        }
                        guard let result = try generator.generate([request]).first else {
                            throw GeneratorError(.protocolViolation, "no result for a regeneration", key: subject.key)
                        }
                        if let error = result.error { throw error }
                        guard result.images.count == pending.count else {
                            throw GeneratorError(.protocolViolation, "\(result.images.count) images for \(pending.count) seeds", key: subject.key)
                        }
                        for (position, variant) in pending.enumerated() {
                            generation.groups[group].variants[variant].image = result.images[position]
                            generation.groups[group].variants[variant].seed = request.seeds[position]
                            generation.groups[group].variants[variant].attempts = attempt + 1
                        }
                    }
                    let requests = pending.map { scoreRequest(subject, generation.groups[group].variants[$0].image!, settings: settings) }
                    let scores = try scorer.score(requests)
                    guard scores.count == pending.count else {
                        throw GeneratorError(.protocolViolation, "\(scores.count) scores for \(pending.count) images", key: subject.key)
                    }
                    var stillPending: [Int] = []
                    for (position, variant) in pending.enumerated() {
                        let score = try scores[position].get()
                        generation.groups[group].variants[variant].score = score
                        guard !policy.keeps(score) else { continue }
                        if attempt < policy.maxRetries {
                            stillPending.append(variant)
                        } else {
                            generation.groups[group].variants[variant].image = nil
                        }
                    }
                    pending = stillPending
                    attempt += 1
                }
            }
        } catch {
            generation.error = error
        }
    }

    /// The whole policy for a few subjects at once: first attempts, then scoring and regeneration.
    /// - Parameters:
    ///   - subjects: The prepared sources.
    ///   - settings: The run's settings.
    ///   - generator: The backend.
    ///   - scorer: The scorer, if any.
    /// - Returns: One generation per subject.
    public static func generate(_ subjects: [GenerationSubject], settings: GenerationSettings, generator: any ImageGenerator,
                                scorer: (any ConsistencyScorer)?) -> [SubjectGeneration] {
        var generations = firstAttempts(subjects, settings: settings, generator: generator, scorer: scorer)
        for index in generations.indices {
            scoreAndRegenerate(&generations[index], settings: settings, generator: generator, scorer: scorer)
        }
        return generations
    }

    /// What one subject's generation produced.
    public struct Outcome: Sendable {
        /// The record to cache (`nil` when generation failed).
        public var record: CacheRecord?
        /// Variants the consistency filter dropped.
        public var dropped: Int
        /// The failure, if any.
        public var error: GeneratorError?
    }

    /// Builds the cache record of a finished generation.
    /// - Parameters:
    ///   - generation: The generation after the policy ran.
    ///   - settings: The run's settings.
    ///   - fingerprint: The cache fingerprint.
    ///   - generator: The generator's identity (provenance).
    ///   - captioner: The captioner's identity (provenance), if any.
    /// - Returns: The record, or the generation's error.
    public static func outcome(of generation: SubjectGeneration, settings: GenerationSettings, fingerprint: String,
                               generator: GeneratorIdentity, captioner: GeneratorIdentity?) -> Outcome {
        if let error = generation.error { return Outcome(record: nil, dropped: 0, error: error) }
        let subject = generation.subject
        var slots: [(index: Int, strength: Double, variant: GeneratedVariant)] = []
        for group in generation.groups {
            for (index, variant) in zip(group.variantNumbers, group.variants) { slots.append((index, group.request.strength, variant)) }
        }
        slots.sort { $0.index < $1.index }
        var stored: [CacheVariant] = []
        var provenanceVariants: [[String: Any]] = []
        for slot in slots {
            var entry: [String: Any] = ["variant": slot.index, "seed": slot.variant.seed, "requested_seed": slot.variant.requestedSeed,
                                        "strength": slot.strength, "guidance": generation.guidance, "attempts": slot.variant.attempts,
                                        "dropped": slot.variant.dropped]
            entry["score"] = slot.variant.score ?? NSNull()
            provenanceVariants.append(entry)
            guard let image = slot.variant.image else { continue }
            do {
                stored.append(try encode(image, seed: slot.variant.seed, score: slot.variant.score, settings: settings))
            } catch {
                return Outcome(record: nil, dropped: 0, error: GeneratorError(.invalidArgument, "encoding failed: \(error)", key: subject.key))
            }
        }
        var provenance: [String: Any] = [
            "model": generator.model, "revision": generator.revision, "label": subject.label,
            "prompt": settings.prompt.prompt(label: subject.label, caption: subject.caption),
            "negative_prompt": settings.negativePrompt, "strength": settings.strengths.count == 1 ? settings.strengths[0] as Any : settings.strengths,
            "guidance": settings.guidance, "steps": settings.steps, "created": Date().timeIntervalSince1970,
            "variants": provenanceVariants,
        ]
        provenance["caption"] = subject.caption ?? NSNull()
        if let details = try? JSONSerialization.jsonObject(with: Data(generator.detailsJSON.utf8)) as? [String: Any] {
            provenance["scheduler"] = details["scheduler"] ?? NSNull()
            provenance["generator"] = details
        }
        if let captioner { provenance["captioner"] = ["model": captioner.model, "revision": captioner.revision] }
        if let similarity = generation.similarity { provenance["similarity"] = similarity }
        if let settingsJSON = try? JSONEncoder().encode(settings),
           let object = try? JSONSerialization.jsonObject(with: settingsJSON) {
            provenance["settings"] = object
        }
        for (name, value) in generation.provenance { provenance[name] = value.foundationObject }
        let json = (try? JSONSerialization.data(withJSONObject: provenance, options: [.sortedKeys, .withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let record = CacheRecord(key: subject.key, sourceDigest: subject.sourceDigest, fingerprint: fingerprint,
                                 provenanceJSON: json, variants: stored)
        return Outcome(record: record, dropped: slots.count - stored.count, error: nil)
    }

    /// Encodes a generated image with the settings' codec.
    static func encode(_ image: Image, seed: UInt64, score: Double?, settings: GenerationSettings) throws(ImageCodecError) -> CacheVariant {
        let codec: VariantCodec
        let payload: [UInt8]
        switch settings.codec {
        case .raw:
            codec = .raw
            payload = image.pixels
        case .png:
            codec = .png
            payload = try PNGEncoder.encode(image)
        case .jpeg:
            codec = .jpeg(quality: settings.jpegQuality)
            payload = try JPEGEncoder.encode(image, quality: settings.jpegQuality)
        }
        return CacheVariant(width: image.width, height: image.height, channels: image.channels, codec: codec, seed: seed,
                            score: score.map(Float.init), payload: payload)
    }
}
