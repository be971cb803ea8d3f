import Augment
import CacheShard
import Foundation
import GenerationCache
import ImageCodec
import SGID
import Testing
import TestSupport

@Suite("SGID augmenter", .serialized)
struct SGIDAugmenterTests {
    /// Samples with encoded PNG images and a cache holding K=4 marked variants for the first `cached` of them.
    static func fixture(count: Int, cached: Int, in directory: TemporaryDirectory,
                        scores: [Float?] = [nil, nil, nil, nil]) throws -> ([Sample], CacheStore) {
        var samples: [Sample] = []
        let writer = try CacheShardWriter(path: directory.path("cache/s"))
        for number in 0..<count {
            let png = try PNGEncoder.encode(TinyModels.photo(number, width: 16, height: 16))
            samples.append(Sample(key: "class\(number % 3)/\(number)", label: number % 3, className: "class\(number % 3)",
                                  source: SampleSource(url: "memory", path: "\(number).png"), image: .encoded(png)))
            guard number < cached else { continue }
            let variants = (0..<4).map { variant in
                CacheVariant(width: 16, height: 16, channels: 3, codec: .raw, seed: UInt64(variant), score: scores[variant],
                             payload: [UInt8](repeating: UInt8(200 + variant), count: 16 * 16 * 3))
            }
            try writer.append(CacheRecord(key: samples[number].key, sourceDigest: SHA256.digest(png), fingerprint: "fp",
                                          provenanceJSON: #"{"model":"test"}"#, variants: variants))
        }
        try writer.close()
        return (samples, try CacheStore(directory: directory.path("cache")))
    }

    /// The variant a sample received (its constant pixel value − 200), or nil if it kept its original.
    static func variant(of sample: Sample) -> Int? {
        guard case .decoded(let image) = sample.image else { return nil }
        return image.pixels.first.map { Int($0) - 200 }
    }

    @Test func replacementRateIsPAndChoicesAreDeterministic() throws {
        let directory = try TemporaryDirectory()
        let (samples, store) = try Self.fixture(count: 400, cached: 400, in: directory)
        for p in [0.0, 0.3, 0.5, 1.0] {
            let statistics = SGIDStatistics()
            let augmenter = SGIDAugmenter(store: store, fingerprint: "fp", probability: p, statistics: statistics)
            var chosen: [Int?] = []
            for (position, original) in samples.enumerated() {
                var sample = original
                var rng = SampleRNG(seed: 7, epoch: 2, position: position)
                try augmenter.augment(&sample, using: &rng)
                chosen.append(Self.variant(of: sample))
                #expect(sample.key == original.key && sample.label == original.label)
                if let variant = Self.variant(of: sample) { #expect(sample.metadata["sgid_variant"] == String(variant)) }
            }
            let rate = Double(chosen.compactMap { $0 }.count) / Double(samples.count)
            #expect(abs(rate - p) < 0.07, "p = \(p): replaced \(rate)")
            #expect(statistics.snapshot.hits == chosen.compactMap { $0 }.count)
            if p > 0 { #expect(Set(chosen.compactMap { $0 }) == [0, 1, 2, 3]) }
            // Same (seed, epoch, position) → same choice; another epoch → other choices.
            var again: [Int?] = [], other: [Int?] = []
            for (position, original) in samples.enumerated() {
                var first = original, second = original
                var rng = SampleRNG(seed: 7, epoch: 2, position: position), otherRNG = SampleRNG(seed: 7, epoch: 3, position: position)
                try augmenter.augment(&first, using: &rng)
                try augmenter.augment(&second, using: &otherRNG)
                again.append(Self.variant(of: first))
                other.append(Self.variant(of: second))
            }
            #expect(again == chosen)
            if p > 0 && p < 1 { #expect(other != chosen) }
        }
    }

    @Test func missesKeepTheOriginalAndAreCounted() throws {
        let directory = try TemporaryDirectory()
        let (samples, store) = try Self.fixture(count: 100, cached: 50, in: directory)
        let statistics = SGIDStatistics()
        let augmenter = SGIDAugmenter(store: store, fingerprint: "fp", probability: 1, statistics: statistics)
        for (position, original) in samples.enumerated() {
            var sample = original
            var rng = SampleRNG(seed: 1, epoch: 0, position: position)
            try augmenter.augment(&sample, using: &rng)
            if position >= 50, case .decoded = sample.image { Issue.record("sample \(position) replaced on a miss") }
        }
        let counts = statistics.snapshotAndReset()
        #expect(counts.selected == 100 && counts.hits == 50 && counts.misses == 50 && counts.hitRate == 0.5)
        #expect(statistics.snapshot.selected == 0)
        // A decoded image cannot be looked up: a clear error, not a silent miss.
        var decoded = samples[0]
        decoded.image = .decoded(TinyModels.photo(0, width: 16, height: 16))
        var rng = SampleRNG(seed: 1, epoch: 0, position: 0)
        #expect(throws: AugmentError.self) { try augmenter.augment(&decoded, using: &rng) }
        // Another fingerprint misses everything.
        let other = SGIDAugmenter(store: store, fingerprint: "other", probability: 1)
        var sample = samples[0]
        try other.augment(&sample, using: &rng)
        #expect(other.statistics.snapshot.misses == 1)
    }

    @Test func minScoreUsesOnlyVariantsScoredAtLeastItAndCountsSamplesWithNone() throws {
        let directory = try TemporaryDirectory()
        let (samples, store) = try Self.fixture(count: 300, cached: 300, in: directory, scores: [0.1, 0.9, nil, 0.5])
        for (threshold, expected) in [(0.5, Set([1, 2, 3])), (0.95, Set([2])), (0.05, Set([0, 1, 2, 3]))] {
            let statistics = SGIDStatistics()
            let augmenter = SGIDAugmenter(store: store, fingerprint: "fp", probability: 1, minScore: threshold, statistics: statistics)
            var used = Set<Int>()
            for (position, original) in samples.enumerated() {
                var sample = original
                var rng = SampleRNG(seed: 3, epoch: 0, position: position)
                try augmenter.augment(&sample, using: &rng)
                if let variant = Self.variant(of: sample) { used.insert(variant) }
            }
            #expect(used == expected, "min_score \(threshold): used \(used.sorted())")
            #expect(statistics.snapshot.hits == 300 && statistics.snapshot.filtered == 0)
        }
        // Every variant scored under the threshold: the original stays and the sample counts as filtered.
        let scoredLow = try TemporaryDirectory()
        let (low, lowStore) = try Self.fixture(count: 20, cached: 20, in: scoredLow, scores: [0.1, 0.2, 0.3, 0.4])
        let statistics = SGIDStatistics()
        let registry = AugmenterRegistry()
        SGIDAugmenter.register(in: registry, store: lowStore, fingerprint: "fp", statistics: statistics)
        let pipeline = try PipelineSpec.parse("sgid(p=1, min_score=0.45)", registry: registry)
        for (position, original) in low.enumerated() {
            var sample = original
            var rng = SampleRNG(seed: 3, epoch: 0, position: position)
            try pipeline.augment(&sample, using: &rng)
            #expect(Self.variant(of: sample) == nil)
        }
        #expect(statistics.snapshot.filtered == 20 && statistics.snapshot.hits == 0 && statistics.snapshot.selected == 20)
        #expect(throws: AugmentError.self) { try PipelineSpec.parse("sgid(p=1, min_scor=0.4)", registry: registry) }
    }

    @Test func variantsLimitUsesOnlyEachRecordsFirstVariants() throws {
        let directory = try TemporaryDirectory()
        let (samples, store) = try Self.fixture(count: 300, cached: 300, in: directory, scores: [0.9, 0.1, 0.9, 0.9])
        let registry = AugmenterRegistry()
        SGIDAugmenter.register(in: registry, store: store, fingerprint: "fp", statistics: SGIDStatistics())
        // The limit, alone and with the filter (which then sees only the first N), and 0 or above K meaning all.
        for (spec, expected) in [("sgid(p=1, variants=2)", Set([0, 1])), ("sgid(p=1, variants=1)", Set([0])),
                                 ("sgid(p=1, variants=2, min_score=0.5)", Set([0])), ("sgid(p=1, variants=0)", Set([0, 1, 2, 3])),
                                 ("sgid(p=1, variants=9)", Set([0, 1, 2, 3]))] {
            let pipeline = try PipelineSpec.parse(spec, registry: registry)
            var used = Set<Int>()
            for (position, original) in samples.enumerated() {
                var sample = original
                var rng = SampleRNG(seed: 5, epoch: 1, position: position)
                try pipeline.augment(&sample, using: &rng)
                if let variant = Self.variant(of: sample) { used.insert(variant) }
            }
            #expect(used == expected, "\(spec): used \(used.sorted())")
        }
        #expect(throws: AugmentError.self) { try PipelineSpec.parse("sgid(p=1, variants=-1)", registry: registry) }
    }

    @Test func variantsComeInTheChannelsTheSampleDecodesTo() throws {
        // A gray model's one-channel variant for an RGB loader, and a colour variant for a gray loader.
        let directory = try TemporaryDirectory()
        let writer = try CacheShardWriter(path: directory.path("cache/s"))
        let gray: [UInt8] = (0..<64).map { (index: Int) -> UInt8 in UInt8(index * 4) }
        var colour: [UInt8] = []
        for index in 0..<64 { colour += [UInt8(index * 4), UInt8(255 - index * 3), UInt8(index * 2 + 7)] }
        var samples: [Sample] = []
        for (number, (channels, payload)) in [(1, gray), (3, colour)].enumerated() {
            let png = try PNGEncoder.encode(TinyModels.photo(number, width: 8, height: 8))
            var sample = Sample(key: "k\(number)", label: 0, className: "c", source: SampleSource(url: "memory", path: "\(number).png"),
                                image: .encoded(png))
            sample.decodeOptions.mode = channels == 1 ? ColorMode.rgb : ColorMode.gray
            samples.append(sample)
            try writer.append(CacheRecord(key: sample.key, sourceDigest: SHA256.digest(png), fingerprint: "fp", provenanceJSON: "{}",
                                          variants: [CacheVariant(width: 8, height: 8, channels: channels, codec: .raw, seed: 0, payload: payload)]))
        }
        try writer.close()
        let augmenter = SGIDAugmenter(store: try CacheStore(directory: directory.path("cache")), fingerprint: "fp", probability: 1)
        var images: [Image] = []
        for (position, original) in samples.enumerated() {
            var sample = original
            var rng = SampleRNG(seed: 0, epoch: 0, position: position)
            try augmenter.augment(&sample, using: &rng)
            guard case .decoded(let image) = sample.image else { Issue.record("sample \(position) kept its original"); return }
            images.append(image)
        }
        #expect(images[0].channels == 3 && images[0].pixels == gray.flatMap { [$0, $0, $0] }, "gray repeated, as convert('RGB')")
        var luminance: [UInt8] = []
        for index in 0..<64 {
            let red = UInt32(colour[3 * index]) * 19595, green = UInt32(colour[3 * index + 1]) * 38470
            let blue = UInt32(colour[3 * index + 2]) * 7471
            luminance.append(UInt8((red + green + blue + 0x8000) >> 16))
        }
        #expect(images[1].channels == 1 && images[1].pixels == luminance, "colour to Pillow's L")
    }

    @Test func generateAndQueueMissPoliciesFillTheCache() throws {
        let directory = try TemporaryDirectory()
        let (samples, store) = try Self.fixture(count: 6, cached: 0, in: directory)
        let generator = try TinyModels.generator(captioner: false)
        defer { generator.shutdown() }
        let settings = GenerationSettings(variants: 2, steps: 2, size: PixelSize(width: 16, height: 16))
        let appender = try CacheAppender(path: directory.path("cache/on-demand"))
        let onDemand = OnDemandGenerator(generator: generator, captioner: nil, settings: settings, appender: appender)
        // generate: the miss is generated now and a variant used.
        let now = SGIDAugmenter(store: store, fingerprint: onDemand.fingerprint, probability: 1, missPolicy: .generate(onDemand))
        var sample = samples[0]
        var rng = SampleRNG(seed: 3, epoch: 0, position: 0)
        try now.augment(&sample, using: &rng)
        guard case .decoded(let image) = sample.image else { Issue.record("no variant after on-demand generation"); return }
        #expect(image.width == 16 && image.height == 16)
        #expect(now.statistics.snapshot.generated == 1)
        // queue: misses keep their original now; the filler writes them; after a refresh they hit.
        let filler = BackgroundFiller(generator: onDemand)
        let later = SGIDAugmenter(store: store, fingerprint: onDemand.fingerprint, probability: 1, missPolicy: .queue(filler))
        for (position, original) in samples.enumerated().dropFirst() {
            var queued = original
            var rng = SampleRNG(seed: 3, epoch: 0, position: position)
            try later.augment(&queued, using: &rng)
            if case .decoded = queued.image { Issue.record("a queued miss was replaced at once") }
        }
        #expect(later.statistics.snapshot.queued == 5)
        filler.drain()
        #expect(filler.progress.done == 5 && filler.progress.failed.isEmpty)
        try store.refresh()
        for (position, original) in samples.enumerated() {
            var hit = original
            var rng = SampleRNG(seed: 3, epoch: 1, position: position)
            try later.augment(&hit, using: &rng)
            if case .encoded = hit.image { Issue.record("sample \(position) still misses after the filler ran") }
        }
        try appender.close()
    }
}
