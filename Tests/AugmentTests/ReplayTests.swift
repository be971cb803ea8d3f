import Foundation
import ImageCodec
import Testing
@testable import Augment

@Suite("Replay: recording drawn parameters and replaying them on other data")
struct ReplayTests {
    static let imageA = TestImages.natural(width: 64, height: 48, seed: 1)
    static let imageB = TestImages.natural(width: 64, height: 48, seed: 2)

    static func record(_ augmenter: any Augmenter, _ image: Image, position: Int) throws -> (ReplayRecord, Image?) {
        var sample = TestImages.sample(.decoded(image))
        var rng = SampleRNG(seed: 5, epoch: 0, position: position)
        let record = try Replay.record(augmenter, &sample, using: &rng)
        return (record, TestImages.pixels(sample))
    }

    static func replay(_ augmenter: any Augmenter, _ record: ReplayRecord, _ image: Image) throws -> Image? {
        var sample = TestImages.sample(.decoded(image))
        try Replay.replay(augmenter, record, on: &sample)
        return TestImages.pixels(sample)
    }

    static let spec = "random_resized_crop(size=24x20, interpolation=bicubic) | hflip | one_of(vflip(p=1) | identity, weights=1:1)"
        + " | random_apply(center_crop(size=16), p=0.5) | some_of(hflip(p=1) | vflip(p=1) | identity, n=2)"
        + " | random_order(hflip | vflip) | resize(size=12)"

    @Test("recording draws exactly what augmenting draws: same pixels, same generator state afterwards")
    func recordingChangesNothing() throws {
        let pipeline = try PipelineSpec.parse(Self.spec)
        for position in 0..<50 {
            var plain = TestImages.sample(.decoded(Self.imageA)), recorded = plain
            var rng1 = SampleRNG(seed: 5, epoch: 0, position: position), rng2 = rng1
            try pipeline.augment(&plain, using: &rng1)
            _ = try Replay.record(pipeline, &recorded, using: &rng2)
            #expect(TestImages.pixels(plain) == TestImages.pixels(recorded))
            #expect(rng1.next() == rng2.next())
        }
    }

    @Test("a record made on image A, replayed on image B, equals B transformed with the same explicit parameters")
    func replayOnOtherData() throws {
        let pipeline = try PipelineSpec.parse(Self.spec)
        var checked = 0
        for position in 0..<40 {
            let (record, _) = try Self.record(pipeline, Self.imageA, position: position)
            let replayed = try Self.replay(pipeline, record, Self.imageB)
            // Apply the recorded parameters by hand, with the plain image functions.
            var image = Self.imageB
            func explicit(_ record: ReplayRecord) throws {
                let fields: [String: JSONValue]
                if case .object(let object) = record.parameters { fields = object } else { fields = [:] }
                switch record.operation {
                case "random_resized_crop":
                    let parameters = try record.parameters.decoded(as: ResizedCropParameters.self)
                    image = RandomResizedCrop.cropAndResize(image, region: parameters.region, to: parameters.size, filter: .bicubic)
                case "resize":
                    let parameters = try record.parameters.decoded(as: ResizeParameters.self)
                    image = image.resized(to: parameters.size, filter: .bilinear)
                case "center_crop":
                    let parameters = try record.parameters.decoded(as: CropParameters.self)
                    image = image.cropped(to: parameters.region)
                case "hflip":
                    if try record.parameters.decoded(as: FlipParameters.self).flipped { image = image.flippedHorizontally() }
                case "vflip":
                    if try record.parameters.decoded(as: FlipParameters.self).flipped { image = image.flippedVertically() }
                case "identity":
                    break
                default:
                    #expect(["sequence", "one_of", "random_apply", "some_of", "random_order"].contains(record.operation))
                    #expect(fields.isEmpty == (record.operation == "sequence"))
                }
                for child in record.children { try explicit(child) }
            }
            try explicit(record)
            #expect(replayed == image, "position \(position): \(record)")
            checked += 1
        }
        #expect(checked == 40)
    }

    @Test("records survive JSON: decoded records replay to the same pixels")
    func jsonRoundTrip() throws {
        let pipeline = try PipelineSpec.parse(Self.spec)
        let (record, pixels) = try Self.record(pipeline, Self.imageA, position: 7)
        let data = try JSONEncoder().encode(record)
        let decoded = try JSONDecoder().decode(ReplayRecord.self, from: data)
        #expect(decoded == record)
        #expect(try Self.replay(pipeline, decoded, Self.imageA) == pixels)
        let text = record.description
        #expect(text.hasPrefix("{\"op\":\"sequence\",\"children\":[{\"op\":\"random_resized_crop\",\"parameters\":{\"input\":{"),
                "\(text)")
        #expect(try JSONDecoder().decode(ReplayRecord.self, from: Data(text.utf8)) == record)
    }

    @Test("the geometric operations record what they drew")
    func geometricParameters() throws {
        let (crop, _) = try Self.record(RandomResizedCrop(size: 10), Self.imageA, position: 3)
        var rng = SampleRNG(seed: 5, epoch: 0, position: 3)
        let region = RandomResizedCrop.parameters(width: 64, height: 48, scale: 0.08...1, ratio: (3.0 / 4)...(4.0 / 3), using: &rng)
        #expect(try crop.parameters.decoded(as: ResizedCropParameters.self)
                == ResizedCropParameters(region: region, size: PixelSize(width: 10, height: 10), input: PixelSize(width: 64, height: 48)))
        let (resize, _) = try Self.record(Resize(24), Self.imageA, position: 0)
        #expect(try resize.parameters.decoded(as: ResizeParameters.self).size == PixelSize(width: 32, height: 24))
        let (center, padded) = try Self.record(CenterCrop(size: PixelSize(width: 70, height: 20)), Self.imageA, position: 0)
        #expect(try center.parameters.decoded(as: CropParameters.self).region == PixelRegion(x: -3, y: 14, width: 70, height: 20))
        #expect(padded == CenterCrop.apply(Self.imageA, size: PixelSize(width: 70, height: 20)))
        #expect(try Self.replay(CenterCrop(size: PixelSize(width: 70, height: 20)), center, Self.imageA) == padded)
        let (flip, _) = try Self.record(HorizontalFlip(p: 1), Self.imageA, position: 0)
        #expect(flip == ReplayRecord(operation: "hflip", parameters: .object(["flipped": .bool(true)])))
    }

    @Test("augmenters without replay support are recorded as such and refuse to replay; mismatched records are refused")
    func unsupported() throws {
        let pipeline = Pipeline { HorizontalFlip(p: 1); Tag(name: "x") }
        let (record, _) = try Self.record(pipeline, Self.imageA, position: 0)
        #expect(record.children[1] == ReplayRecord(operation: "Tag", replayable: false))
        #expect(throws: AugmentError.self) { try Self.replay(pipeline, record, Self.imageA) }
        let (flip, _) = try Self.record(HorizontalFlip(), Self.imageA, position: 0)
        #expect(throws: AugmentError.self) { try Self.replay(VerticalFlip(), flip, Self.imageA) }
        // A record without the input size (older form) is used in pixels: outside a smaller image it is refused.
        let pixelsOnly = ResizedCropParameters(region: PixelRegion(x: 10, y: 10, width: 8, height: 8), size: PixelSize(width: 8, height: 8))
        let crop = ReplayRecord(operation: "random_resized_crop", parameters: try JSONValue.encoding(pixelsOnly))
        #expect(throws: AugmentError.self) { try Self.replay(RandomResizedCrop(size: 8), crop, Image(width: 4, height: 4, channels: 3)) }
        let (order, _) = try Self.record(RandomOrder { HorizontalFlip(); VerticalFlip() }, Self.imageA, position: 0)
        #expect(throws: AugmentError.self) { try Self.replay(RandomOrder { HorizontalFlip() }, order, Self.imageA) }
    }

    @Test("a recorder keeps one record per sample key, from many threads, and replays them")
    func recorder() async throws {
        let pipeline = try PipelineSpec.parse("random_resized_crop(size=16) | hflip")
        let recorder = ReplayRecorder(pipeline)
        let outputs = try await withThrowingTaskGroup(of: (String, Image?).self) { group in
            for position in 0..<32 {
                group.addTask {
                    var sample = TestImages.sample(.decoded(Self.imageA))
                    sample.key = "k\(position)"
                    var rng = SampleRNG(seed: 9, epoch: 0, position: position)
                    try recorder.augment(&sample, using: &rng)
                    return (sample.key, TestImages.pixels(sample))
                }
            }
            var outputs: [String: Image?] = [:]
            for try await (key, image) in group { outputs[key] = image }
            return outputs
        }
        #expect(recorder.records.count == 32)
        for (key, image) in outputs {
            var sample = TestImages.sample(.decoded(Self.imageA))
            try recorder.replay(recordOf: key, on: &sample)
            #expect(TestImages.pixels(sample) == image)
        }
        var sample = TestImages.sample(.decoded(Self.imageA))
        #expect(throws: AugmentError.self) { try recorder.replay(recordOf: "missing", on: &sample) }
    }
}
