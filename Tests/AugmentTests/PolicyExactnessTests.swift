import Foundation
import ImageCodec
import Testing
import TestSupport
@testable import Augment

@Suite("Policies: fixed operations against live timm / torchvision, determinism, registry")
struct PolicyExactnessTests {
    /// A fixed operation for the peer: library, operation, argument, filter, fill; and our output for it.
    struct Job {
        let description: String
        let json: JSONValue
        let ours: Image
    }

    static func job(_ library: String, _ name: String, _ argument: JSONValue, _ interpolation: AffineInterpolation,
                    _ fill: [UInt8], ours: Image) -> Job {
        Job(description: "\(library) \(name)(\(argument)) \(interpolation.rawValue) fill \(fill)",
            json: .array([.string(library), .string(name), argument, .string(interpolation.rawValue),
                          .array(fill.map { .number(Double($0)) })]),
            ours: ours)
    }

    static func timmJobs(_ image: Image) -> [Job] {
        let hyper = TimmHyperParameters(translateConst: 40)
        var jobs: [Job] = []
        for operation in TimmOperation.allCases {
            let magnitudes: [Double] = operation.isGeometric ? [2.5, 9] : [0, 3, 7.5, 10]
            let filters: [AffineInterpolation] = operation.isGeometric ? [.nearest, .bilinear, .bicubic] : [.bicubic]
            for magnitude in magnitudes {
                for negate in operation.isSigned ? [false, true] : [false] {
                    let argument = operation.argument(magnitude: magnitude, negate: negate, hyperParameters: hyper)
                    // Pillow ≥ 12 refuses posterize(0) (timm then raises); we keep the old result, black.
                    if [.posterize, .posterizeIncreasing, .posterizeOriginal].contains(operation) && argument == 0 { continue }
                    for filter in filters {
                        let fill: [UInt8] = [124, 116, 104]
                        jobs.append(job("timm", operation.rawValue, .number(argument), filter, fill,
                                        ours: operation.apply(to: image, argument: argument, interpolation: filter, fill: fill)))
                    }
                }
            }
        }
        return jobs
    }

    static func torchvisionJobs(_ image: Image) -> [Job] {
        var jobs: [Job] = []
        for operation in TorchvisionOperation.allCases {
            var values: [Double] = [0]
            if let table = operation.magnitudes(bins: 31, width: image.width, height: image.height) {
                values = [table[1], table[9], table[30]]
            }
            if let wide = operation.magnitudes(bins: 31, width: 1, height: 1, wide: true) { values.append(wide[23]) }
            if operation.isSigned { values += values.map { -$0 } }
            let geometric: Set<TorchvisionOperation> = [.shearX, .shearY, .translateX, .translateY, .rotate]
            let filters: [AffineInterpolation] = geometric.contains(operation) ? [.nearest, .bilinear, .bicubic] : [.nearest]
            for value in values {
                for filter in filters {
                    let colour: [UInt8] = image.channels == 1 ? [77] : [10, 200, 30]
                    for fill in geometric.contains(operation) ? [[0], colour] : [[0]] {
                        jobs.append(job("tv", operation.rawValue, .number(value), filter, fill,
                                        ours: operation.apply(to: image, magnitude: value, interpolation: filter, fill: fill)))
                    }
                }
            }
        }
        return jobs
    }

    static func augMixJobs(_ image: Image) throws -> [Job] {
        let fill: [UInt8] = [124, 116, 104]
        return try (0..<8).map { position in
            let policy = try TimmAugMix(config: position < 4 ? "augmix-m5-w3" : "augmix-m5-w4-b1")
            var rng = SampleRNG(seed: 5, epoch: 0, position: position)
            let draw = policy.draw(for: TestImages.sample(.decoded(image)), using: &rng)
            let chains = JSONValue.array(draw.chains.map { chain in
                .array(chain.map { .array([.string($0.operation.rawValue), .number($0.argument),
                                          $0.interpolation.map { .string($0.rawValue) } ?? .null]) })
            })
            let spec = JSONValue.object(["weights": .array(draw.weights.map { .number(Double($0)) }),
                                         "mix": .number(Double(draw.mix)), "chains": chains,
                                         "blended": .bool(policy.blended)])
            var sample = TestImages.sample(.decoded(image))
            try policy.apply(draw, to: &sample)
            return job("augmix", "mix", spec, .bicubic, fill, ours: try #require(TestImages.pixels(sample)))
        }
    }

    /// Runs the jobs through the peer and counts exact matches.
    static func runPeer(_ image: Image, _ jobs: [Job], label: String) throws {
        let directory = try TemporaryDirectory()
        let imagePath = directory.path("image.raw"), jobsPath = directory.path("jobs.json"), outPath = directory.path("out.raw")
        try Data(image.pixels).write(to: URL(fileURLWithPath: imagePath))
        try JSONEncoder().encode(JSONValue.array(jobs.map(\.json))).write(to: URL(fileURLWithPath: jobsPath))
        _ = try PeerPython.runPreferringHeavy("policy_stats.py", ["apply", imagePath, "\(image.width)", "\(image.height)",
                                                             "\(image.channels)", jobsPath, outPath])
        let output = [UInt8](try Data(contentsOf: URL(fileURLWithPath: outPath)))
        let size = image.pixels.count
        try #require(output.count == size * jobs.count, "peer wrote \(output.count) bytes for \(jobs.count) jobs")
        var exact = 0
        for (index, job) in jobs.enumerated() {
            let theirs = Array(output[(index * size)..<((index + 1) * size)])
            if theirs == job.ours.pixels {
                exact += 1
            } else {
                let differing = zip(theirs, job.ours.pixels).filter { $0 != $1 }.count
                Issue.record("\(label) \(job.description): \(differing) of \(size) bytes differ")
            }
        }
        print("\(label): \(exact)/\(jobs.count) fixed operations bit-exact")
    }

    @Test("timm operations at fixed levels equal timm's Pillow functions (RGB and gray)", arguments: [3, 1])
    func timmOperations(channels: Int) throws {
        let image = TestImages.natural(width: 61, height: 47, channels: channels, seed: 3)
        try Self.runPeer(image, Self.timmJobs(image), label: "timm ops \(channels == 3 ? "RGB" : "L")")
    }

    @Test("torchvision _apply_op at fixed magnitudes equals torchvision (RGB and gray)", arguments: [3, 1])
    func torchvisionOperations(channels: Int) throws {
        let image = TestImages.natural(width: 53, height: 38, channels: channels, seed: 4)
        try Self.runPeer(image, Self.torchvisionJobs(image), label: "torchvision ops \(channels == 3 ? "RGB" : "L")")
    }

    @Test("AugMix mixing of fixed chains equals timm's _apply_basic and _apply_blended")
    func augMixMixing() throws {
        let image = TestImages.natural(width: 40, height: 31, channels: 3, seed: 6)
        try Self.runPeer(image, try Self.augMixJobs(image), label: "AugMix mixing")
    }

    @Test("policies are deterministic per (seed, epoch, position) and replay their records exactly")
    func determinismAndReplay() throws {
        let image = TestImages.natural(width: 48, height: 40, seed: 8)
        let specs = ["randaugment(rand-m9-n2-mstd0.5)", "randaugment(config=rand-m9-n3-mstd101-inc1, interpolation=bilinear)",
                     "tv_randaugment(num_ops=2, magnitude=9, bins=31)", "trivialaugment", "autoaugment(policy=imagenet)",
                     "autoaugment(policy=v0)", "autoaugment(original-mstd0.5)", "augmix(augmix-m3-w3-d-1)",
                     "autoaugment(policy=cifar10)", "autoaugment(policy=svhn)", "autoaugment(policy=3a)",
                     "randaugment(rand-mstd1-tweights)", "randaugment(rand-m9-n2-t3a)"]
        for spec in specs {
            let pipeline = try PipelineSpec.parse(spec)
            let policy = try #require(pipeline.stages.first as? any RecordingAugmenter, "\(spec)")
            var distinct = Set<[UInt8]>()
            for position in 0..<12 {
                var first = TestImages.sample(.decoded(image)), second = first, replayed = first
                var rng1 = SampleRNG(seed: 1, epoch: 2, position: position), rng2 = rng1
                try pipeline.augment(&first, using: &rng1)
                let record = try policy.record(&second, using: &rng2)
                try policy.replay(record, on: &replayed)
                let a = try #require(TestImages.pixels(first)), b = try #require(TestImages.pixels(second))
                #expect(a == b, "\(spec): recording changed the output")
                #expect(TestImages.pixels(replayed) == a, "\(spec): replay differs")
                #expect(rng1.next() == rng2.next(), "\(spec): recording consumed the generator differently")
                distinct.insert(a.pixels)
            }
            #expect(distinct.count > 3, "\(spec): only \(distinct.count) distinct outputs over 12 positions")
        }
    }

    @Test("config strings: timm's sections, defaults and errors naming the operation")
    func configs() throws {
        let rand = try TimmRandAugment(config: "rand-m7-n3-p0.3-mstd101-mmax12-inc1")
        #expect(rand.layers == 3 && rand.operations.count == 15)
        #expect(rand.operations.map(\.operation) == TimmOperation.randAugmentIncreasing)
        #expect(rand.operations[0].probability == 0.3 && rand.operations[0].magnitude == 7)
        #expect(rand.operations[0].hyperParameters.magnitudeStd == .infinity)
        #expect(rand.operations[0].hyperParameters.magnitudeMax == 12)
        #expect(try TimmRandAugment(config: "rand").operations[0].magnitude == 10)
        let mix = try TimmAugMix(config: "augmix-m3-w4-d-1-a0.5")
        #expect(mix.width == 4 && mix.depth == -1 && mix.alpha == 0.5 && mix.operations.count == 13)
        #expect(mix.operations[0].hyperParameters.magnitudeStd == .infinity)
        #expect(try TimmAugMix(config: "augmix-d2").depth == 2)
        #expect(try TimmAutoAugment(config: "autoaug-originalr").subPolicies.count == 25)
        // timm's transform sets: the first `t` section counts; weighted sets choose without replacement.
        let weighted = try TimmRandAugment(config: "rand-mstd1-tweights-t3a")
        #expect(weighted.layers == 2 && weighted.operations.count == 15 && weighted.choiceWeights?.first == 3)
        #expect(weighted.operations[0].magnitude == 10 && weighted.operations[0].hyperParameters.magnitudeStd == 1)
        #expect(try TimmRandAugment(config: "rand-m9-t3a").operations.map(\.operation) == TimmOperation.randAugment3a)
        #expect(try TimmAutoAugment(config: "3a").subPolicies.map(\.count) == [1, 1, 1])
        var rng = SampleRNG(seed: 3, epoch: 0, position: 0)
        for _ in 0..<50 {
            let chosen = TimmRandAugment.weightedWithoutReplacement([3, 2, 2, 1, 0.05], count: 5, using: &rng)
            #expect(Set(chosen).count == 5)
        }
        for spec in ["autoaugment(policy=cifar10)", "autoaugment(policy=svhn, fill=128)", "autoaugment(policy=3a)",
                     "autoaugment(config=3a-mstd0.5)", "randaugment(rand-m9-n2-mstd1-tweights)", "randaugment(rand-m9-t3aw)"] {
            #expect(throws: Never.self, "\(spec)") { _ = try PipelineSpec.parse(spec) }
        }
        for (spec, fragment) in [("randaugment(rand-m9-x3)", "unknown section 'x3'"),
                                 ("randaugment(augmix-m3)", "does not start with 'rand'"),
                                 ("augmix(augmix-w0)", "section 'w0': expected an integer in 1...100"), ("autoaugment(policy=cifar100)", "policy"),
                                 ("randaugment(rand-m9-tfoo)", "unknown transform set 'tfoo'"),
                                 ("randaugment(rand-n16-tweights)", "section 'n16'"), ("randaugment(rand-w0)", "unknown section 'w0'"),
                                 ("autoaugment(v9)", "unknown policy 'v9'"), ("tv_randaugment(magnitude=31)", "magnitude"),
                                 ("trivialaugment(fill=300)", "fill"), ("randaugment(interpolation=lanczos)", "interpolation")] {
            do {
                _ = try PipelineSpec.parse(spec)
                Issue.record("\(spec) was accepted")
            } catch {
                #expect(error.description.contains(fragment), "\(spec): \(error.description)")
            }
        }
    }
}
