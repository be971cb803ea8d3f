import Foundation
import ImageCodec
import Testing
import TestSupport
@testable import Augment

@Suite("Policies: sampling statistics against live timm / torchvision")
struct PolicyStatisticsTests {
    static let signedAroundZero: Set<String> = ["Rotate", "ShearX", "ShearY", "TranslateX", "TranslateY", "TranslateXRel",
                                                "TranslateYRel", "Brightness", "Color", "Contrast", "Sharpness"]
    static let sample = TestImages.sample(.decoded(Image(width: 224, height: 97, channels: 3)))

    static func timmEvents(_ draw: TimmPolicyDraw, image: Int) -> [PolicyEvent] {
        draw.operations.map {
            PolicyEvent(image: image, operation: $0.operation.rawValue, applied: $0.applied, argument: $0.argument,
                        interpolation: $0.interpolation?.rawValue)
        }
    }

    static func torchvisionEvents(_ draw: TorchvisionPolicyDraw, image: Int) -> [PolicyEvent] {
        draw.operations.filter(\.applied).map {
            PolicyEvent(image: image, operation: $0.operation.rawValue, applied: true, argument: $0.magnitude, interpolation: nil)
        }
    }

    static func compare(_ ours: [PolicyEvent], peerKey: String) throws {
        let peer = try PolicyPeer.events(peerKey)
        let draws = PolicyPeer.draws
        let result = PolicyStatistics(ours, images: draws, signedAroundZero: signedAroundZero)
            .compare(with: PolicyStatistics(peer.events, images: draws, signedAroundZero: signedAroundZero),
                     label: "\(peerKey) vs \(peer.source)")
        print(result.summary)
        for failure in result.failures { Issue.record(Comment(rawValue: failure)) }
    }

    static func drawAll<Policy: ReplayableAugmenter>(_ policy: Policy, seed: UInt64,
                                                     _ events: (Policy.Parameters, Int) -> [PolicyEvent]) throws -> [PolicyEvent] {
        var result: [PolicyEvent] = []
        for index in 0..<PolicyPeer.draws {
            var rng = SampleRNG(seed: seed, epoch: 0, position: index)
            result += events(try policy.draw(for: sample, using: &rng), index)
        }
        return result
    }

    @Test("timm RandAugment: op frequencies, per-op probability, magnitudes, signs and filters", arguments: [
        ("rand-m9-n2-mstd0.5", "rand-m9-n2-mstd0.5", nil),
        ("rand-m7-n3-p0.7-inc1-mstd0", "rand-m7-n3-p0.7-inc1-mstd0", nil),
        ("rand-m9-n2-mstd101", "rand-m9-n2-mstd101-bilinear", AffineInterpolation.bilinear),
        ("rand-m11-n1-mmax14-mstd2-p1", "rand-m11-n1-mmax14-mstd2-p1", nil),
        ("rand-mstd1-tweights", "rand-mstd1-tweights", nil),
        ("rand-m9-n3-mstd0.5-inc1-t3aw", "rand-m9-n3-mstd0.5-inc1-t3aw", nil),
        ("rand-m7-n2-t3a", "rand-m7-n2-t3a", nil),
    ] as [(String, String, AffineInterpolation?)])
    func timmRandAugment(config: String, peerKey: String, interpolation: AffineInterpolation?) throws {
        let policy = try TimmRandAugment(config: config, hyperParameters: TimmHyperParameters(interpolation: interpolation))
        try Self.compare(try Self.drawAll(policy, seed: 11) { Self.timmEvents($0, image: $1) }, peerKey: peerKey)
    }

    @Test("timm AutoAugment v0 (with noise), original and 3-Augment", arguments: ["v0-mstd0.5", "original", "3a", "3a-mstd1"])
    func timmAutoAugment(config: String) throws {
        let policy = try TimmAutoAugment(config: config)
        try Self.compare(try Self.drawAll(policy, seed: 12) { Self.timmEvents($0, image: $1) }, peerKey: config)
    }

    @Test("timm AugMix: chain operations, depths, Dirichlet and Beta weights")
    func augMix() throws {
        let policy = try TimmAugMix(config: "augmix-m3-w3")
        var events: [PolicyEvent] = [], firstWeights: [Double] = [], mixes: [Double] = []
        for index in 0..<PolicyPeer.draws {
            var rng = SampleRNG(seed: 13, epoch: 0, position: index)
            let draw = policy.draw(for: Self.sample, using: &rng)
            events += draw.chains.flatMap { Self.timmEvents(TimmPolicyDraw(operations: $0), image: index) }
            firstWeights.append(Double(draw.weights[0]))
            mixes.append(Double(draw.mix))
            #expect(abs(draw.weights.reduce(0, +) - 1) < 1e-5)
        }
        try Self.compare(events, peerKey: "augmix-m3-w3")
        let peer = try PolicyPeer.events("augmix-m3-w3")
        let peerWeights = try #require(peer.extra["weights"] as? [[Double]]).map { $0[0] }
        let peerMixes = try #require(peer.extra["mixes"] as? [Double])
        func moments(_ values: [Double]) -> (Double, Double) {
            let mean = values.reduce(0, +) / Double(values.count)
            return (mean, (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot())
        }
        // Dirichlet(1,1,1) marginal: Beta(1, 2), mean 1/3, std 0.236; Beta(1, 1): mean 1/2, std 0.289.
        let (w, wPeer, m, mPeer) = (moments(firstWeights), moments(peerWeights), moments(mixes), moments(peerMixes))
        #expect(abs(w.0 - wPeer.0) < 0.015 && abs(w.1 - wPeer.1) < 0.012, "weights \(w) vs \(wPeer)")
        #expect(abs(m.0 - mPeer.0) < 0.02 && abs(m.1 - mPeer.1) < 0.012, "mix \(m) vs \(mPeer)")
        print("AugMix weight[0] mean/std \(w) (timm \(wPeer)); mix \(m) (timm \(mPeer)); "
            + "ops/image \(Double(events.count) / Double(PolicyPeer.draws)) (timm \(Double(peer.events.count) / Double(PolicyPeer.draws)))")
    }

    @Test("torchvision RandAugment", arguments: [(2, 9, 31), (3, 5, 11)])
    func torchvisionRandAugment(numOps: Int, magnitude: Int, bins: Int) throws {
        let policy = try TorchvisionRandAugment(numOps: numOps, magnitude: magnitude, bins: bins)
        try Self.compare(try Self.drawAll(policy, seed: 14) { Self.torchvisionEvents($0, image: $1) },
                         peerKey: "tv_randaugment-\(numOps)-\(magnitude)-\(bins)")
    }

    @Test("torchvision TrivialAugmentWide and AutoAugment IMAGENET")
    func torchvisionTrivialAndAuto() throws {
        try Self.compare(try Self.drawAll(try TrivialAugmentWide(), seed: 15) { Self.torchvisionEvents($0, image: $1) },
                         peerKey: "trivialaugment-31")
        try Self.compare(try Self.drawAll(TorchvisionAutoAugment(), seed: 16) { Self.torchvisionEvents($0, image: $1) },
                         peerKey: "autoaugment-imagenet")
    }

    @Test("torchvision AutoAugment CIFAR10 and SVHN", arguments: [TorchvisionAutoAugmentPolicy.cifar10, .svhn])
    func torchvisionAutoAugmentPolicies(policy: TorchvisionAutoAugmentPolicy) throws {
        try Self.compare(try Self.drawAll(TorchvisionAutoAugment(policy: policy), seed: 17) { Self.torchvisionEvents($0, image: $1) },
                         peerKey: "autoaugment-\(policy.rawValue)")
    }

    @Test("policy tables equal the live peers': torchvision AutoAugment, timm AutoAugment and RandAugment sets")
    func policyTables() throws {
        let tables = try PolicyPeer.tables()
        let torchvision = try #require(tables["tv_policies"] as? [String: [[[Any]]]])
        for policy in TorchvisionAutoAugmentPolicy.allCases {
            let peer = try #require(torchvision[policy.rawValue], "torchvision policy \(policy)")
            let ours = policy.subPolicies.map { $0.map { "\($0.operation.rawValue) \($0.probability) \($0.bin.map(String.init) ?? "nil")" } }
            let theirs = peer.map { $0.map { "\($0[0]) \(($0[1] as? Double) ?? -1) \(($0[2] as? Int).map(String.init) ?? "nil")" } }
            #expect(ours == theirs, "torchvision AutoAugment \(policy)")
        }
        let timm = try #require(tables["timm_auto"] as? [String: [[[Any]]]])
        for policy in TimmAutoAugmentPolicy.allCases {
            let peer = try #require(timm[policy.rawValue], "timm policy \(policy)")
            let ours = policy.subPolicies.map { $0.map { "\($0.operation.rawValue) \($0.probability) \($0.magnitude)" } }
            let theirs = peer.map { $0.map { "\($0[0]) \(($0[1] as? Double) ?? -1) \(($0[2] as? Double) ?? -1)" } }
            #expect(ours == theirs, "timm AutoAugment \(policy)")
        }
        let sets = try #require(tables["timm_rand_sets"] as? [String: [String: Any]])
        for name in ["weights", "3a", "3aw"] {
            let peer = try #require(sets[name])
            let policy = try TimmRandAugment(config: "rand-t\(name)")
            #expect(policy.operations.map(\.operation.rawValue) == (peer["ops"] as? [String]), "t\(name) operations")
            let theirs = peer["weights"] as? [Double]
            let total = policy.choiceWeights?.reduce(0, +) ?? 1
            let ours = policy.choiceWeights?.map { $0 / total }
            #expect((ours == nil) == (theirs == nil), "t\(name) weighted")
            if let ours, let theirs {
                #expect(ours.count == theirs.count && zip(ours, theirs).allSatisfy { abs($0 - $1) < 1e-12 }, "t\(name) weights")
            }
        }
        print("policy tables: torchvision \(TorchvisionAutoAugmentPolicy.allCases.count), timm AutoAugment "
            + "\(TimmAutoAugmentPolicy.allCases.count), timm RandAugment sets 3, equal to the peers'")
    }

    @Test("torchvision magnitude tables equal torch's linspace and posterize bins exactly")
    func tables() throws {
        let tables = try PolicyPeer.tables()
        var compared = 0
        for row in try #require(tables["linspace"] as? [[Any]]) {
            let start = try #require(row[0] as? Double), end = try #require(row[1] as? Double)
            let bins = try #require(row[2] as? Int), values = try #require(row[3] as? [Double])
            // The values are single-precision numbers; JSON parsing may be off in the last double bits.
            #expect(TorchvisionOperation.linspace(start, end, bins).map { Float($0) } == values.map { Float($0) },
                    "linspace(\(start), \(end), \(bins))")
            compared += 1
        }
        for row in try #require(tables["posterize"] as? [[Any]]) {
            let bins = try #require(row[0] as? Int), levels = try #require(row[1] as? Int)
            let bits = try #require(row[2] as? [Int])
            let ours = TorchvisionOperation.posterize.magnitudes(bins: bins, width: 1, height: 1, wide: levels == 6)?.map { Int($0) }
            #expect(ours == bits, "posterize bins \(bins) levels \(levels)")
            compared += 1
        }
        print("torchvision magnitude tables: \(compared) tables compared exactly")
    }
}
