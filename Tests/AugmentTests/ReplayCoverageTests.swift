import Foundation
import ImageCodec
import Testing
@testable import Augment

/// Every registered operation records what it drew and replays it exactly; crops, erasing and translations carry to
/// images of other sizes in relative form (`PixelRegion.carried(from:to:)`).
@Suite("Replay coverage: every registered operation")
struct ReplayCoverageTests {
    static let image = TestImages.natural(width: 48, height: 36, seed: 3)

    /// A spec exercising the random draws of each registered name. A registered name missing here fails
    /// `everyRegisteredOperationReplays`, so a new operation must come with its replay.
    static let specs: [String: [String]] = [
        "resize": ["resize(size=20)"], "center_crop": ["center_crop(size=40x50)"],
        "random_resized_crop": ["random_resized_crop(size=24x20, interpolation=bicubic)"],
        "hflip": ["hflip"], "vflip": ["vflip"], "identity": ["identity"],
        "sequence": ["sequence(hflip | color_jitter(brightness=0.4))"],
        "random_apply": ["random_apply(vflip(p=1) | rotate(degrees=30), p=0.5)"],
        "one_of": ["one_of(hflip(p=1) | gaussian_blur(kernel_size=5) | random_erasing(p=1, mode=pixel))"],
        "some_of": ["some_of(invert | equalize | posterize(bits=2:6), n=2)"],
        "random_order": [
            "random_order(solarize(threshold=64:192) | brightness(factor=0.5:1.5) | shear_x(factor=0.3, random_sign=true))",
        ],
        "rotate": ["rotate(degrees=45, interpolation=bilinear)", "rotate(degrees=20, expand=true, fill=9)"],
        "affine": ["affine(matrix=1;0.2;-3;0.1;1;2, interpolation=bicubic)"],
        "random_affine": ["random_affine(degrees=30, translate=0.2;0.1, scale=0.8:1.2, shear=10, interpolation=bilinear)",
                          "random_affine(degrees=0, translate=0.3;0.3, shear=-5;5;-8;8)"],
        "shear_x": ["shear_x(factor=0:0.3, random_sign=true)"], "shear_y": ["shear_y(factor=0.3, random_sign=true)"],
        "translate_x": ["translate_x(offset=0:0.45, relative=true, random_sign=true)", "translate_x(offset=3:9)"],
        "translate_y": ["translate_y(offset=0.1:0.3, relative=true, random_sign=true)"],
        "pad": ["pad(padding=2;3, mode=reflect)"], "crop": ["crop(x=-2, y=3, width=30, height=20)"],
        "random_crop": ["random_crop(size=30, padding=4, padding_mode=edge)", "random_crop(size=40x40, pad_if_needed=true)"],
        "autocontrast": ["autocontrast(p=0.5)"], "equalize": ["equalize(p=0.5)"], "invert": ["invert(p=0.5)"],
        "posterize": ["posterize(bits=1:7, p=0.7)"], "solarize": ["solarize(threshold=0:256, p=0.7)"],
        "solarize_add": ["solarize_add(add=-100:100, threshold=200, p=0.7)"],
        "color": ["color(factor=0.1:1.9, p=0.7)"], "contrast": ["contrast(factor=0.1:1.9, p=0.7)"],
        "brightness": ["brightness(factor=0.1:1.9, p=0.7)"], "sharpness": ["sharpness(factor=0.1:1.9, p=0.7)"],
        "grayscale": ["grayscale(channels=3, p=0.5)"],
        "color_jitter": ["color_jitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)", "color_jitter(hue=0.5)"],
        "gaussian_blur": ["gaussian_blur(kernel_size=5x3, sigma=0.1:3)"],
        "random_erasing": ["random_erasing(p=0.8)", "random_erasing(p=1, mode=rand, count=1:3)",
                           "random_erasing(p=1, mode=pixel, count=2, fill=1;2;3)"],
        "randaugment": ["randaugment(config=rand-m9-n3-mstd0.5-inc1)"], "tv_randaugment": ["tv_randaugment"],
        "trivialaugment": ["trivialaugment"], "autoaugment": ["autoaugment", "autoaugment(policy=v0)"],
        "augmix": ["augmix"],
    ]

    /// Whether a record and all its children are replayable.
    static func replayable(_ record: ReplayRecord) -> Bool { record.replayable && record.children.allSatisfy(replayable) }

    @Test("every registered operation: augment with a seed equals replaying its printed record, pixel for pixel")
    func everyRegisteredOperationReplays() throws {
        let registry = AugmenterRegistry.shared
        let missing = registry.names.filter { Self.specs[$0] == nil }
        #expect(missing.isEmpty, "registered operations without a replay test spec: \(missing)")
        for name in registry.names {
            for spec in Self.specs[name] ?? [] {
                let augmenter = try PipelineSpec.parse(spec)
                for position in 0..<12 {
                    var plain = TestImages.sample(.decoded(Self.image))
                    var rng = SampleRNG(seed: 11, epoch: 0, position: position)
                    try augmenter.augment(&plain, using: &rng)
                    var recorded = TestImages.sample(.decoded(Self.image))
                    var recordRNG = SampleRNG(seed: 11, epoch: 0, position: position)
                    let record = try Replay.record(augmenter, &recorded, using: &recordRNG)
                    #expect(Self.replayable(record), "\(spec): \(record)")
                    #expect(rng.next() == recordRNG.next(), "\(spec): recording must draw what augmenting draws")
                    // Through the printed text, as `sgid augment --replay` reads it.
                    let printed = try JSONDecoder().decode(ReplayRecord.self, from: Data(record.description.utf8))
                    var replayed = TestImages.sample(.decoded(Self.image))
                    try Replay.replay(augmenter, printed, on: &replayed)
                    let expected = TestImages.pixels(plain)
                    #expect(TestImages.pixels(recorded) == expected, "\(spec) position \(position)")
                    #expect(TestImages.pixels(replayed) == expected, "\(spec) position \(position): \(record)")
                }
            }
        }
    }

    @Test("color_jitter records its order and factors")
    func colorJitterRecord() throws {
        let jitter = ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1)
        var sample = TestImages.sample(.decoded(Self.image))
        var rng = SampleRNG(seed: 2, epoch: 0, position: 0), reference = rng
        let record = try Replay.record(jitter, &sample, using: &rng)
        let drawn = jitter.parameters(using: &reference)
        let parameters = try record.parameters.decoded(as: ColorJitterParameters.self)
        #expect(parameters == ColorJitterParameters(order: drawn.order, brightness: drawn.brightness, contrast: drawn.contrast,
                                                    saturation: drawn.saturation, hue: drawn.hue))
        #expect(Set(parameters.order) == Set(ColorJitter.Adjustment.allCases))
    }

    /// The documented rule: each edge times target/recorded, rounded half up.
    static func carriedByHand(_ r: PixelRegion, _ from: PixelSize, _ to: PixelSize) -> PixelRegion {
        func edge(_ e: Int, _ a: Int, _ b: Int) -> Int { Int((Double(e) * Double(b) / Double(a) + 0.5).rounded(.down)) }
        let left = edge(r.x, from.width, to.width), top = edge(r.y, from.height, to.height)
        return PixelRegion(x: left, y: top, width: max(1, edge(r.x + r.width, from.width, to.width) - left),
                           height: max(1, edge(r.y + r.height, from.height, to.height) - top))
    }

    @Test("a replayed crop record applies to an image of another size in relative form")
    func cropsCarryToOtherSizes() throws {
        let small = PixelSize(width: 48, height: 36), large = TestImages.natural(width: 100, height: 75, seed: 4)
        let target = PixelSize(width: 100, height: 75)
        for position in 0..<10 {
            let crop = RandomResizedCrop(size: PixelSize(width: 24, height: 20), interpolation: .bicubic)
            var sample = TestImages.sample(.decoded(Self.image))
            var rng = SampleRNG(seed: 1, epoch: 0, position: position)
            let record = try Replay.record(crop, &sample, using: &rng)
            let parameters = try record.parameters.decoded(as: ResizedCropParameters.self)
            #expect(parameters.input == small)
            let region = Self.carriedByHand(parameters.region, small, target).clamped(inside: target)
            var other = TestImages.sample(.decoded(large))
            try Replay.replay(crop, record, on: &other)
            #expect(TestImages.pixels(other) == RandomResizedCrop.cropAndResize(large, region: region, to: parameters.size,
                                                                                filter: .bicubic))
        }
        // center_crop keeps padding regions (negative origins) and scales them the same way.
        let center = CenterCrop(size: PixelSize(width: 60, height: 20))
        var sample = TestImages.sample(.decoded(Self.image))
        var rng = SampleRNG(seed: 1, epoch: 0, position: 0)
        let record = try Replay.record(center, &sample, using: &rng)
        let recorded = try record.parameters.decoded(as: CropParameters.self)
        var other = TestImages.sample(.decoded(large))
        try Replay.replay(center, record, on: &other)
        let region = Self.carriedByHand(recorded.region, small, target)
        #expect(region == recorded.region.carried(from: small, to: target))
        #expect(TestImages.pixels(other)?.width == region.width && TestImages.pixels(other)?.height == region.height)
        // Same size: unchanged.
        #expect(recorded.region.carried(from: small, to: small) == recorded.region)
    }

    @Test("erasing regions and affine translations carry to another size; records without noise are refused")
    func erasingAndTranslationsCarry() throws {
        let large = TestImages.natural(width: 96, height: 72, seed: 4), small = PixelSize(width: 48, height: 36)
        let erasing = RandomErasing(probability: 1, mode: .const, count: 2...2, fill: [7, 8, 9])
        var sample = TestImages.sample(.decoded(Self.image))
        var rng = SampleRNG(seed: 4, epoch: 0, position: 0)
        let record = try Replay.record(erasing, &sample, using: &rng)
        let parameters = try record.parameters.decoded(as: ErasingParameters.self)
        #expect(parameters.regions.count == 2 && parameters.noise == nil)
        var other = TestImages.sample(.decoded(large))
        try Replay.replay(erasing, record, on: &other)
        var expected = large
        for region in parameters.regions {
            expected = expected.erased(Self.carriedByHand(region, small, PixelSize(width: 96, height: 72)), with: [7, 8, 9])
        }
        #expect(TestImages.pixels(other) == expected)
        let noisy = RandomErasing(probability: 1, mode: .rand)
        let bare = ReplayRecord(operation: "random_erasing",
                                parameters: try JSONValue.encoding(
                                    ErasingParameters(regions: parameters.regions, input: small, noise: nil)))
        // `draw` alone (no record) consumes the noise as `augment` does.
        var drawRNG = SampleRNG(seed: 4, epoch: 0, position: 0), augmentRNG = drawRNG
        _ = try noisy.draw(for: TestImages.sample(.decoded(Self.image)), using: &drawRNG)
        var augmented = TestImages.sample(.decoded(Self.image))
        try noisy.augment(&augmented, using: &augmentRNG)
        #expect(drawRNG.next() == augmentRNG.next())
        var refused = TestImages.sample(.decoded(Self.image))
        #expect(throws: AugmentError.self) { try Replay.replay(noisy, bare, on: &refused) }

        // random_affine: a translation of 6 px on a 48-wide image is 12 px on a 96-wide one.
        let affine = RandomAffine(degrees: 0...0, translate: (x: 0.2, y: 0.2))
        let drawn = RandomAffineParameters(angle: 0, translate: [6, -3], scale: 1, shear: [0, 0], input: small)
        var moved = TestImages.sample(.decoded(large))
        try Replay.replay(affine, ReplayRecord(operation: "random_affine", parameters: try JSONValue.encoding(drawn)), on: &moved)
        #expect(TestImages.pixels(moved) == RandomAffine.apply(large, angle: 0, translate: (12, -6), scale: 1, shear: (0, 0),
                                                               interpolation: .nearest))
    }
}
