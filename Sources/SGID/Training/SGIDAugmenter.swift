import Augment
import CacheShard
import GenerationCache
import ImageCodec

/// SGID at training time (name `sgid` in pipeline specs): with probability `p` replaces the sample's image by one of
/// its cached generations, chosen per (seed, epoch, sample) through the sample's generator; label and key are kept and
/// the variant used is recorded in `metadata["sgid_variant"]`. With `minScore`, only variants whose recorded
/// consistency score reaches it are eligible (unscored variants are, as the precompute filter keeps them); a sample
/// with none keeps its original and is counted as `filtered`. With `maxVariants`, only a record's first N variants are
/// eligible: variant seeds do not depend on K, so one cache of K variants serves every smaller K. The variant comes in the channels the sample decodes to
/// (`decodeOptions.mode`: a gray model's variant is repeated to RGB for an RGB loader, as Pillow's `convert('RGB')`).
/// It must run before anything decodes the image: the cache is keyed by the digest of the encoded source.
public struct SGIDAugmenter: Augmenter {
    /// What happens when the cache has no generations for a selected sample.
    public enum MissPolicy: Sendable {
        /// Keep the original image (counted as a miss). The default.
        case keepOriginal
        /// Generate now (bounded concurrency), write to the cache, and use a variant.
        case generate(OnDemandGenerator)
        /// Keep the original now and queue the sample for the background filler, so later epochs have it.
        case queue(BackgroundFiller)
    }

    /// The cache.
    public let store: CacheStore
    /// The generator fingerprint whose generations are used.
    public let fingerprint: String
    /// Replacement probability.
    public let probability: Double
    /// The training-time consistency filter: variants scored under it are not used (`nil`: all are).
    public let minScore: Double?
    /// Use only the first N variants of each record (`nil`: all of them).
    public let maxVariants: Int?
    /// The miss policy.
    public let missPolicy: MissPolicy
    /// Hit and miss counts (share one instance across the pipeline to read per-epoch rates).
    public let statistics: SGIDStatistics

    /// Creates the augmenter.
    /// - Parameters:
    ///   - store: The cache.
    ///   - fingerprint: Which generations to use.
    ///   - probability: Replacement probability (default 0.5).
    ///   - minScore: Use only variants scored at least this (default `nil`: every variant).
    ///   - maxVariants: Use only each record's first N variants (default `nil`: all).
    ///   - missPolicy: Miss handling (default keep the original).
    ///   - statistics: Where counts go.
    public init(store: CacheStore, fingerprint: String, probability: Double = 0.5, minScore: Double? = nil,
                maxVariants: Int? = nil, missPolicy: MissPolicy = .keepOriginal, statistics: SGIDStatistics = SGIDStatistics()) {
        self.store = store
        self.fingerprint = fingerprint
        self.probability = probability
        self.minScore = minScore
        self.maxVariants = maxVariants.map { max(1, $0) }
        self.missPolicy = missPolicy
        self.statistics = statistics
    }

    /// Replaces the image with a cached variant with probability `p`.
    /// - Parameters:
    ///   - sample: The sample (image still encoded).
    ///   - rng: The sample's generator.
    /// - Throws: `AugmentError` when the image was already decoded, or the cache or generator fails.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        guard rng.chance(probability) else { return }
        let pick = rng.uniform()  // drawn whether or not the cache hits, so the stream never depends on the cache
        guard case .encoded(let bytes) = sample.image else {
            throw AugmentError(operation: "sgid", key: sample.key, source: sample.source,
                               message: "sgid must come before any operation that decodes the image (the cache is keyed by the encoded source's digest)")
        }
        let digest = SHA256.digest(bytes)
        var hit = store.lookup(key: sample.key, sourceDigest: digest, fingerprint: fingerprint)
        if hit == nil || hit!.variantCount == 0 {
            statistics.record { $0.selected += 1; $0.misses += 1 }
            switch missPolicy {
            case .keepOriginal:
                return
            case .queue(let filler):
                if filler.enqueue(sample, digest: digest) { statistics.record { $0.queued += 1 } }
                return
            case .generate(let generator):
                let record: CacheRecord
                do {
                    record = try generator.generate(try generator.subject(for: sample, digest: digest))
                } catch {
                    throw AugmentError(operation: "sgid", key: sample.key, source: sample.source, message: error.description)
                }
                statistics.record { $0.generated += 1 }
                let count = min(record.variants.count, maxVariants ?? .max)
                guard count > 0 else { return }
                let index = min(count - 1, Int(pick * Double(count)))
                do {
                    sample.image = .decoded(try CacheStore.decode(record.variants[index], location: "on-demand generation")
                        .converted(to: sample.decodeOptions.mode))
                } catch {
                    throw AugmentError(operation: "sgid", key: sample.key, source: sample.source, message: error.description)
                }
                sample.metadata["sgid_variant"] = String(index)
                return
            }
        }
        let found = hit!
        hit = nil
        var eligible = Array(0..<min(found.variantCount, maxVariants ?? .max))
        if let minScore {
            let meta: CacheRecordMeta
            do { meta = try store.meta(found) } catch {
                throw AugmentError(operation: "sgid", key: sample.key, source: sample.source, message: error.description)
            }
            // An index entry disagreeing with its record (a stale index) names variants the record lacks: those
            // are not eligible rather than a trap.
            eligible = eligible.filter { $0 < meta.variants.count && (meta.variants[$0].score.map { Double($0) >= minScore } ?? true) }
            guard !eligible.isEmpty else {
                statistics.record { $0.selected += 1; $0.filtered += 1 }
                return
            }
        }
        statistics.record { $0.selected += 1; $0.hits += 1 }
        let index = eligible[min(eligible.count - 1, Int(pick * Double(eligible.count)))]
        do {
            sample.image = .decoded(try store.image(found, at: index).converted(to: sample.decodeOptions.mode))
        } catch {
            throw AugmentError(operation: "sgid", key: sample.key, source: sample.source, message: error.description)
        }
        sample.metadata["sgid_variant"] = String(index)
    }
}

extension SGIDAugmenter {
    /// Registers `sgid(p=…, min_score=…, variants=…)` in a registry, bound to a cache and fingerprint (the CLI does this for `--cache`):
    /// `p` in 0…1 (default 0.5), `min_score` in −1…1 (the scorers' cosine or probability scale; default none),
    /// `variants` in 0…4096 (0, the default: all).
    /// - Parameters:
    ///   - registry: The registry.
    ///   - store: The cache.
    ///   - fingerprint: Which generations to use.
    ///   - missPolicy: Miss handling.
    ///   - statistics: Shared counts.
    public static func register(in registry: AugmenterRegistry, store: CacheStore, fingerprint: String,
                                missPolicy: MissPolicy = .keepOriginal, statistics: SGIDStatistics) {
        registry.register("sgid", parameters: ["p", "min_score", "variants"]) { (parameters) throws(AugmentError) -> any Augmenter in
            let probability = try parameters.double("p", default: 0.5, in: 0...1)
            let minScore = try parameters.optionalDouble("min_score", in: -1...1)
            let variants = try parameters.int("variants", default: 0, in: 0...4096)
            return SGIDAugmenter(store: store, fingerprint: fingerprint, probability: probability,
                                 minScore: minScore, maxVariants: variants == 0 ? nil : variants,
                                 missPolicy: missPolicy, statistics: statistics)
        }
    }
}
