import CacheShard
import Foundation
import ImageCodec

/// Turns a subject and settings into generator requests, and generator results into a cache record with provenance.
public enum GenerationPlan {
    /// One request per distinct strength (variant i uses `strengths[i % count]`), each with its variants' seeds.
    /// - Parameters:
    ///   - subject: The prepared source.
    ///   - settings: The run's settings.
    /// - Returns: The requests and, for each, the variant numbers it covers.
    public static func requests(for subject: GenerationSubject,
                                settings: GenerationSettings) -> [(request: GenerationRequest, variants: [Int])] {
        var byStrength: [Double: [Int]] = [:]
        var order: [Double] = []
        for index in 0..<settings.variants {
            let strength = settings.strengths[index % settings.strengths.count]
            if byStrength[strength] == nil { order.append(strength) }
            byStrength[strength, default: []].append(index)
        }
        return order.map { strength in
            let variants = byStrength[strength]!
            let request = GenerationRequest(
                key: subject.key, image: subject.image,
                prompt: settings.prompt.prompt(label: subject.label, caption: subject.caption),
                negativePrompt: settings.negativePrompt, labelPrompt: settings.prompt.labelPrompt(label: subject.label),
                strength: strength, guidance: settings.guidance, guidanceRange: settings.guidanceRange, steps: settings.steps,
                seeds: variants.map { settings.variantSeed(key: subject.key, index: $0) }, outputSize: settings.size,
                minScore: settings.minScore, maxRetries: settings.maxRetries)
            return (request, variants)
        }
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

    /// Builds the cache record of a subject from the results of its requests.
    /// - Parameters:
    ///   - subject: The prepared source.
    ///   - results: The results, in the order of `requests(for:settings:)`.
    ///   - settings: The run's settings.
    ///   - fingerprint: The cache fingerprint.
    ///   - generator: The generator's identity (provenance).
    ///   - captioner: The captioner's identity (provenance), if any.
    /// - Returns: The record, or the error of the first failed request.
    public static func outcome(for subject: GenerationSubject, results: [GenerationResult], settings: GenerationSettings,
                               fingerprint: String, generator: GeneratorIdentity, captioner: GeneratorIdentity?) -> Outcome {
        if let failed = results.first(where: { $0.error != nil }) { return Outcome(record: nil, dropped: 0, error: failed.error) }
        let plan = requests(for: subject, settings: settings)
        var slots: [(index: Int, strength: Double, guidance: Double, variant: GeneratedVariant)] = []
        for ((request, variants), result) in zip(plan, results) {
            for (index, variant) in zip(variants, result.variants) {
                slots.append((index, request.strength, result.guidance, variant))
            }
        }
        slots.sort { $0.index < $1.index }
        var stored: [CacheVariant] = []
        var provenanceVariants: [[String: Any]] = []
        for slot in slots {
            var entry: [String: Any] = ["variant": slot.index, "seed": slot.variant.seed, "requested_seed": slot.variant.requestedSeed,
                                        "strength": slot.strength, "guidance": slot.guidance, "attempts": slot.variant.attempts,
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
        if let similarity = results.compactMap(\.similarity).first { provenance["similarity"] = similarity }
        if let settingsJSON = try? JSONEncoder().encode(settings),
           let object = try? JSONSerialization.jsonObject(with: settingsJSON) {
            provenance["settings"] = object
        }
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
