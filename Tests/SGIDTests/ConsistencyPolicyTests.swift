import CacheShard
import Foundation
import ImageCodec
import SGID
import Synchronization
import Testing

/// A backend whose every image encodes its seed and request, and a scorer that reads the score back from the image,
/// recording the calls, so the policy's decisions and call grouping can be checked exactly.
final class ScriptedBackend: ImageGenerator, ConsistencyScorer {
    let identity = GeneratorIdentity(model: "scripted", revision: "1", detailsJSON: "{}")
    let scorerIdentity = GeneratorIdentity(model: "scripted-scorer", revision: "1", detailsJSON: "{}")
    let capabilities = GeneratorCapabilities(conditioning: .classLabel, channels: 1, fitsSources: true, scoring: true)
    /// Score of a generated image by seed (the scorer reads the seed back from the pixels); sources score 0.25.
    let scoreOfSeed: @Sendable (UInt64) -> Double
    let calls = Mutex<[String]>([])

    init(scoreOfSeed: @escaping @Sendable (UInt64) -> Double) { self.scoreOfSeed = scoreOfSeed }

    static func image(seed: UInt64) -> Image {
        var image = Image(width: 8, height: 1, channels: 1)
        for byte in 0..<8 { image.pixels[byte] = UInt8(truncatingIfNeeded: seed >> (8 * UInt64(byte))) }
        return image
    }

    static func seed(of image: Image) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(image.pixels[$1]) << (8 * UInt64($1)) }
    }

    func generate(_ requests: [GenerationRequest]) throws(GeneratorError) -> [GenerationResult] {
        calls.withLock { $0.append("generate " + requests.map { "\($0.strength):\($0.guidance):\($0.seeds)" }.joined(separator: " ")) }
        return requests.map { GenerationResult(key: $0.key, images: $0.seeds.map(Self.image), provenance: ["class_index": .integer(3)]) }
    }

    func score(_ requests: [ScoreRequest]) throws(GeneratorError) -> [Result<Double, GeneratorError>] {
        calls.withLock { $0.append("score \(requests.count)") }
        return requests.map { $0.image.width == 8 ? .success(scoreOfSeed(Self.seed(of: $0.image))) : .success(0.25) }
    }
}

@Suite("Consistency policy (backend-neutral)")
struct ConsistencyPolicyTests {
    static let subject = GenerationSubject(key: "k", sourceDigest: SHA256.digest([1, 2, 3]), label: "Coat",
                                           image: Image(width: 4, height: 4, channels: 1))

    @Test func guidanceAndRetrySeedsFollowTheRules() {
        let policy = ConsistencyPolicy(minScore: 0.5, maxRetries: 2, guidanceRange: 2...9)
        #expect(policy.guidance(nominal: 7.5, similarity: 0.25) == 2 + 7 * 0.75)
        #expect(policy.guidance(nominal: 7.5, similarity: -3) == 9 && policy.guidance(nominal: 7.5, similarity: 4) == 2)
        #expect(ConsistencyPolicy().guidance(nominal: 7.5, similarity: 0.1) == 7.5)
        #expect(ConsistencyPolicy.seed(5, attempt: 0) == 5 && ConsistencyPolicy.seed(5, attempt: 2) == 2_000_011)
        #expect(ConsistencyPolicy.seed(UInt64.max, attempt: 1) == 1_000_002)  // mod 2^64
        #expect(policy.keeps(0.5) && !policy.keeps(0.49) && ConsistencyPolicy().keeps(-1) && policy.keeps(nil))
    }

    @Test func variantsUnderTheThresholdAreRegeneratedThenDropped() throws {
        var settings = GenerationSettings(variants: 4, strengths: [0.5, 0.7], guidance: 2, guidanceRange: 1...5, steps: 10,
                                          minScore: 0.5, maxRetries: 2)
        settings.seed = 9
        let seeds = (0..<4).map { settings.variantSeed(key: "k", index: $0) }
        // Variant 0 passes at once; 1 passes at its second attempt; 2 never passes; 3 passes at its third.
        let passing: Set<UInt64> = [seeds[0], ConsistencyPolicy.seed(seeds[1], attempt: 1), ConsistencyPolicy.seed(seeds[3], attempt: 2)]
        let backend = ScriptedBackend { passing.contains($0) ? 0.9 : 0.1 }
        let generation = GenerationPlan.generate([Self.subject], settings: settings, generator: backend, scorer: backend)[0]
        #expect(generation.error == nil)
        #expect(generation.similarity == 0.25 && generation.guidance == 1 + 4 * 0.75)
        let variants = generation.groups.flatMap { zip($0.variantNumbers, $0.variants) }.sorted { $0.0 < $1.0 }.map(\.1)
        #expect(variants.map(\.attempts) == [1, 2, 3, 3])
        #expect(variants.map(\.dropped) == [false, false, true, false])
        #expect(variants.map(\.requestedSeed) == seeds)
        #expect(variants[1].seed == ConsistencyPolicy.seed(seeds[1], attempt: 1) && variants[2].seed == ConsistencyPolicy.seed(seeds[2], attempt: 2))
        #expect(variants.map(\.score) == [0.9, 0.9, 0.1, 0.9])
        // The source is scored alone; each group's images of one attempt together; regenerations per group.
        let calls = backend.calls.withLock { $0 }
        #expect(calls == [
            "score 1",
            "generate 0.5:4.0:[\(seeds[0]), \(seeds[2])] 0.7:4.0:[\(seeds[1]), \(seeds[3])]",
            "score 2", "generate 0.5:4.0:[\(ConsistencyPolicy.seed(seeds[2], attempt: 1))]", "score 1",
            "generate 0.5:4.0:[\(ConsistencyPolicy.seed(seeds[2], attempt: 2))]", "score 1",
            "score 2", "generate 0.7:4.0:[\(ConsistencyPolicy.seed(seeds[1], attempt: 1)), \(ConsistencyPolicy.seed(seeds[3], attempt: 1))]",
            "score 2", "generate 0.7:4.0:[\(ConsistencyPolicy.seed(seeds[3], attempt: 2))]", "score 1",
        ], "\(calls)")
        let outcome = GenerationPlan.outcome(of: generation, settings: settings, fingerprint: "f", generator: backend.identity, captioner: nil)
        let record = try #require(outcome.record)
        #expect(outcome.dropped == 1 && record.variants.count == 3)
        #expect(record.variants.map(\.seed) == [variants[0].seed, variants[1].seed, variants[3].seed])
        let provenance = try #require(try JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8)) as? [String: Any])
        #expect(provenance["class_index"] as? Int == 3 && provenance["similarity"] as? Double == 0.25)
    }

    @Test func withoutAScorerNothingIsScoredOrRegenerated() {
        let settings = GenerationSettings(variants: 3, steps: 10)
        let backend = ScriptedBackend { _ in 0 }
        let generation = GenerationPlan.generate([Self.subject], settings: settings, generator: backend, scorer: nil)[0]
        #expect(generation.groups.flatMap(\.variants).allSatisfy { $0.score == nil && $0.attempts == 1 && !$0.dropped })
        #expect(backend.calls.withLock { $0 }.count == 1)
        var guided = settings
        guided.guidanceRange = 1...2
        #expect(GenerationPlan.generate([Self.subject], settings: guided, generator: backend, scorer: nil)[0].error?.kind == .invalidArgument)
    }
}
