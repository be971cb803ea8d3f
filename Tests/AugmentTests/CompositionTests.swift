import ImageCodec
import Testing
@testable import Augment

/// Appends its name to the sample's `trace` metadata (and draws nothing), to see which children ran in which order.
struct Tag: Augmenter {
    let name: String
    func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        sample.metadata["trace", default: ""] += name
    }
}

@Suite("Composition: random_apply, one_of, some_of, random_order, identity")
struct CompositionTests {
    static let trials = 4000
    // 4 standard errors of a binomial proportion over 4000 trials is at most 0.032.
    static let tolerance = 0.032

    static func trace(_ augmenter: any Augmenter, position: Int) throws -> String {
        var sample = TestImages.sample(.decoded(Image(width: 2, height: 2, channels: 3)))
        var rng = SampleRNG(seed: 11, epoch: 0, position: position)
        try augmenter.augment(&sample, using: &rng)
        return sample.metadata["trace"] ?? ""
    }

    @Test("random_apply: p ≤ 0 never and p ≥ 1 always, without drawing; otherwise at rate p, all children or none")
    func randomApply() throws {
        for (p, expected) in [(0.0, ""), (-1.0, ""), (1.0, "ab"), (2.0, "ab")] {
            let augmenter = RandomApply(p: p) { Tag(name: "a"); Tag(name: "b") }
            var sample = TestImages.sample(.decoded(Image(width: 1, height: 1, channels: 1)))
            var rng = SampleRNG(seed: 1, epoch: 0, position: 0)
            let untouched = rng
            try augmenter.augment(&sample, using: &rng)
            #expect(sample.metadata["trace", default: ""] == expected)
            var a = rng, b = untouched
            #expect(a.next() == b.next(), "p=\(p) drew from the generator")
        }
        let augmenter = RandomApply(p: 0.3, [Tag(name: "a"), Tag(name: "b")])
        var applied = 0
        for position in 0..<Self.trials {
            let trace = try Self.trace(augmenter, position: position)
            #expect(trace == "" || trace == "ab")
            if trace == "ab" { applied += 1 }
        }
        #expect(abs(Double(applied) / Double(Self.trials) - 0.3) < Self.tolerance)
    }

    @Test("one_of: exactly one child, chosen in proportion to its weight; zero weights never; p skips")
    func oneOf() throws {
        let augmenter = OneOf(weights: [1, 2, 0, 1]) { Tag(name: "a"); Tag(name: "b"); Tag(name: "c"); Tag(name: "d") }
        var counts: [String: Int] = [:]
        for position in 0..<Self.trials { counts[try Self.trace(augmenter, position: position), default: 0] += 1 }
        #expect(counts["c"] == nil && counts.count == 3)
        #expect(abs(Double(counts["a", default: 0]) / Double(Self.trials) - 0.25) < Self.tolerance)
        #expect(abs(Double(counts["b", default: 0]) / Double(Self.trials) - 0.5) < Self.tolerance)
        #expect(abs(Double(counts["d", default: 0]) / Double(Self.trials) - 0.25) < Self.tolerance)
        let sometimes = OneOf([Tag(name: "a")], p: 0.4)
        var ran = 0
        for position in 0..<Self.trials where try Self.trace(sometimes, position: position) == "a" { ran += 1 }
        #expect(abs(Double(ran) / Double(Self.trials) - 0.4) < Self.tolerance)
    }

    @Test("some_of: n distinct children, uniformly, in their original order; with replacement repeats are possible")
    func someOf() throws {
        let augmenter = SomeOf(n: 2) { Tag(name: "a"); Tag(name: "b"); Tag(name: "c"); Tag(name: "d") }
        var counts: [Character: Int] = [:]
        var pairs = Set<String>()
        for position in 0..<Self.trials {
            let trace = try Self.trace(augmenter, position: position)
            #expect(trace.count == 2 && Array(trace) == Array(trace).sorted() && Set(trace).count == 2, "\(trace)")
            for name in trace { counts[name, default: 0] += 1 }
            pairs.insert(trace)
        }
        #expect(pairs.count == 6)
        for name in "abcd" { #expect(abs(Double(counts[name, default: 0]) / Double(Self.trials) - 0.5) < Self.tolerance) }
        let replacing = SomeOf(n: 3, replace: true, [Tag(name: "a"), Tag(name: "b")])
        var repeats = 0
        for position in 0..<400 {
            let trace = try Self.trace(replacing, position: position)
            #expect(trace.count == 3 && Array(trace) == Array(trace).sorted())
            if Set(trace).count < 3 { repeats += 1 }
        }
        #expect(repeats == 400)  // 3 choices among 2 children always repeat
        #expect(try Self.trace(SomeOf(n: 0, [Tag(name: "a")]), position: 0) == "")
    }

    @Test("random_order: every child once, all permutations about equally often")
    func randomOrder() throws {
        let augmenter = RandomOrder { Tag(name: "a"); Tag(name: "b"); Tag(name: "c") }
        var counts: [String: Int] = [:]
        for position in 0..<Self.trials { counts[try Self.trace(augmenter, position: position), default: 0] += 1 }
        #expect(counts.count == 6)
        for (order, count) in counts {
            #expect(order.sorted() == ["a", "b", "c"])
            #expect(abs(Double(count) / Double(Self.trials) - 1.0 / 6) < Self.tolerance, "\(order): \(count)")
        }
        #expect(try Self.trace(RandomOrder([]), position: 0) == "")
    }

    @Test("identity changes nothing and draws nothing")
    func identity() throws {
        let image = TestImages.natural(width: 9, height: 7)
        var sample = TestImages.sample(.decoded(image))
        var rng = SampleRNG(seed: 3, epoch: 1, position: 2)
        var copy = rng
        try Identity().augment(&sample, using: &rng)
        #expect(TestImages.pixels(sample) == image)
        #expect(rng.next() == copy.next())
    }

    @Test("inline specs nest composition: children inside the parentheses, parameters after")
    func inlineNesting() throws {
        let pipeline = try PipelineSpec.parse(
            "resize(size=8) | one_of(hflip(p=1) | vflip(p=1), weights=1:2) | random_apply(hflip | some_of(vflip | identity, n=1), p=0.25)"
                + " | random_order(identity | hflip) | sequence(identity) | identity")
        #expect(pipeline.stages.count == 6)
        let oneOf = try #require(pipeline.stages[1] as? OneOf)
        #expect(oneOf.weights == [1, 2] && oneOf.p == 1 && oneOf.children.count == 2)
        #expect((oneOf.children[1] as? VerticalFlip)?.p == 1)
        let apply = try #require(pipeline.stages[2] as? RandomApply)
        #expect(apply.p == 0.25 && apply.children.count == 2)
        let someOf = try #require(apply.children[1] as? SomeOf)
        #expect(someOf.n == 1 && !someOf.replace && someOf.children[1] is Identity)
        #expect((pipeline.stages[3] as? RandomOrder)?.children.count == 2)
        #expect((pipeline.stages[4] as? Pipeline)?.stages.count == 1)
        let stages = try PipelineSpec.stages("one_of( hflip(p=1) |vflip , weights = 1:2 )")
        #expect(PipelineSpec.format(stages) == "one_of(hflip(p=1) | vflip, weights=1:2)")
        #expect(try PipelineSpec.stages(PipelineSpec.format(stages)) == stages)
    }

    @Test("composition errors name the operation and the parameter", arguments: [
        ("one_of(hflip | vflip, weights=1:2:3)", "one_of", "parameter 'weights' = '1:2:3'"),
        ("one_of(hflip | vflip, weights=0:0)", "one_of", "parameter 'weights'"),
        ("one_of(hflip | vflip, weights=a:b)", "one_of", "parameter 'weights'"),
        ("one_of(p=0.5)", "one_of", "missing parameter 'children'"),
        ("some_of(hflip | vflip, n=3)", "some_of", "parameter 'n' = '3'"),
        ("some_of(hflip, replace=maybe)", "some_of", "parameter 'replace' = 'maybe'"),
        ("random_apply(hflip, p=1.5)", "random_apply", "parameter 'p' = '1.5'"),
        ("random_apply(hflip | frobnicate(angle=3))", "frobnicate", "unknown operation"),
        ("random_apply(hflip(q=1))", "hflip", "unknown parameter 'q'"),
        ("one_of(hflip, vflip)", "one_of", "children given twice"),
        ("one_of(hflip | | vflip)", "pipeline spec", "empty stage"),
        ("one_of(hflip, weights=(1))", "one_of", "nested item"),
        ("one_of(hflip))", "one_of", "unbalanced parentheses"),
        ("random_order(hflip", "random_order", "missing ')'"),
        ("identity(hflip)", "identity", "expected 'key=value'"),
    ])
    func errors(spec: String, operation: String, fragment: String) {
        do {
            _ = try PipelineSpec.parse(spec)
            Issue.record("\(spec) parsed")
        } catch {
            #expect(error.operation == operation, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test("a bare item is the config of an operation that takes config and no children")
    func positional() throws {
        struct Policy: Augmenter {
            let config: String
            let p: Double
            func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {}
        }
        let registry = AugmenterRegistry()
        registry.register("policy", parameters: ["config", "p"]) { (parameters) throws(AugmentError) in
            Policy(config: parameters.values["config"] ?? "", p: try parameters.double("p", default: 1, in: 0...1))
        }
        let pipeline = try PipelineSpec.parse("policy(rand-m9-n2-mstd0.5, p=0.5) | policy(original) | policy(config=v0)",
                                              registry: registry)
        #expect((pipeline.stages[0] as? Policy)?.config == "rand-m9-n2-mstd0.5" && (pipeline.stages[0] as? Policy)?.p == 0.5)
        #expect((pipeline.stages[1] as? Policy)?.config == "original")
        #expect((pipeline.stages[2] as? Policy)?.config == "v0")
        let stages = try PipelineSpec.stages("policy( rand-m9-n2 , p=0.5)")
        #expect(stages[0].positional == "rand-m9-n2" && PipelineSpec.format(stages) == "policy(rand-m9-n2, p=0.5)")
        let document = try PipelineDocument.decode(PipelineDocument(pipeline: stages).encoded())
        #expect(document.inline == "policy(config=rand-m9-n2, p=0.5)")
        for (spec, operation, fragment) in [("hflip(1.5)", "hflip", "expected 'key=value', found '1.5'"),
                                            ("one_of(rand-m9)", "one_of", "expected 'key=value', found 'rand-m9'"),
                                            ("policy(a-b, config=c)", "policy", "expected 'key=value'"),
                                            ("nothing(a-b)", "nothing", "unknown operation")] {
            do {
                _ = try PipelineSpec.parse(spec, registry: registry)
                Issue.record("\(spec) parsed")
            } catch {
                #expect(error.operation == operation && error.message.contains(fragment), "\(error)")
            }
        }
    }
}

