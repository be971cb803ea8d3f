import ImageCodec
import Testing
@testable import Augment

@Suite("Pipeline specs and the registry")
struct PipelineSpecTests {
    @Test("a spec parses into the stages it names, with their parameters")
    func parse() throws {
        let pipeline = try PipelineSpec.parse(
            "random_resized_crop(size=224, scale=0.08:1) | hflip(p=0.5) | center_crop(size=224)")
        #expect(pipeline.stages.count == 3)
        let crop = try #require(pipeline.stages[0] as? RandomResizedCrop)
        #expect(crop.size == PixelSize(width: 224, height: 224) && crop.scale == 0.08...1)
        #expect(crop.ratio == (3.0 / 4)...(4.0 / 3) && crop.interpolation == .bilinear)
        #expect((pipeline.stages[1] as? HorizontalFlip)?.p == 0.5)
        #expect((pipeline.stages[2] as? CenterCrop)?.size == PixelSize(width: 224, height: 224))
        let more = try PipelineSpec.parse(
            " resize(size=256, interpolation=bicubic, max_size=300)|vflip|resize( size = 32x16 )|"
                + "random_resized_crop(size=64x48, ratio=3/4:4/3, interpolation=lanczos)")
        let resize = try #require(more.stages[0] as? Resize)
        #expect(resize.size == .shorterEdge(256) && resize.interpolation == .bicubic && resize.maxSize == 300)
        #expect((more.stages[1] as? VerticalFlip)?.p == 0.5)
        #expect((more.stages[2] as? Resize)?.size == .exact(PixelSize(width: 32, height: 16)))
        let second = try #require(more.stages[3] as? RandomResizedCrop)
        #expect(second.size == PixelSize(width: 64, height: 48) && second.interpolation == .lanczos)
        #expect(abs(second.ratio.upperBound - 4.0 / 3) < 1e-15)
        #expect(try PipelineSpec.parse("  ").stages.isEmpty)
    }

    @Test("stages round-trip through their canonical text", arguments: [
        "random_resized_crop(size=224, scale=0.08:1) | hflip(p=0.5) | center_crop(size=224)",
        "resize(size=256,interpolation=bicubic)|vflip",
        "hflip() | vflip(  p = 1 )",
    ])
    func roundTrip(spec: String) throws {
        let stages = try PipelineSpec.stages(spec)
        let text = PipelineSpec.format(stages)
        #expect(try PipelineSpec.stages(text) == stages)
        #expect(PipelineSpec.format(try PipelineSpec.stages(text)) == text)
    }

    @Test("errors name the operation and the parameter", arguments: [
        ("frobnicate(angle=3)", "frobnicate", "unknown operation"),
        ("hflip(q=0.5)", "hflip", "unknown parameter 'q'"),
        ("hflip(p=2)", "hflip", "parameter 'p' = '2'"),
        ("hflip(p=abc)", "hflip", "parameter 'p' = 'abc'"),
        ("center_crop(size=0)", "center_crop", "parameter 'size' = '0'"),
        ("center_crop(size=12x)", "center_crop", "parameter 'size'"),
        ("center_crop()", "center_crop", "missing parameter 'size'"),
        ("random_resized_crop(size=224, scale=1:0.5)", "random_resized_crop", "parameter 'scale' = '1:0.5'"),
        ("random_resized_crop(size=224, ratio=0:1)", "random_resized_crop", "parameter 'ratio'"),
        ("resize(size=256, interpolation=cubic)", "resize", "parameter 'interpolation' = 'cubic'"),
        ("resize(size=256, max_size=100)", "resize", "parameter 'max_size' = '100'"),
        ("hflip(p=0.5, p=0.2)", "hflip", "given twice"),
        ("hflip(p=0.5", "hflip", "missing ')'"),
        ("hflip | | vflip", "pipeline spec", "empty stage"),
        ("hflip(p)", "hflip", "expected 'key=value'"),
        ("hflip(p=)", "hflip", "no value"),
        ("9lives", "pipeline spec", "bad operation name"),
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

    @Test("users register their own operations; the registry is safe to use from many threads")
    func customRegistration() async throws {
        struct CustomInvert: Augmenter {
            let strength: Int
            func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {}
        }
        let registry = AugmenterRegistry()
        registry.register("custom_invert", parameters: ["strength"]) { (parameters) throws(AugmentError) in
            CustomInvert(strength: try parameters.int("strength", default: 1, in: 0...255))
        }
        #expect(registry.names.contains("custom_invert") && registry.names.contains("random_resized_crop"))
        #expect(registry.parameters(of: "hflip") == ["p"])
        let pipeline = try PipelineSpec.parse("custom_invert(strength=3) | hflip", registry: registry)
        #expect((pipeline.stages[0] as? CustomInvert)?.strength == 3)
        #expect(throws: AugmentError.self) { try PipelineSpec.parse("custom_invert(strength=3)") }  // not in the shared registry
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask {
                    registry.register("op\(index)", parameters: []) { _ throws(AugmentError) in HorizontalFlip() }
                    _ = try registry.make("op\(index)")
                    _ = try registry.make("hflip", ["p": "0.25"])
                }
            }
            try await group.waitForAll()
        }
        #expect(registry.names.count == AugmenterRegistry().names.count + 1 + 16)
    }
}
