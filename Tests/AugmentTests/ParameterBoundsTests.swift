import Foundation
import ImageCodec
import Testing
@testable import Augment

/// Hostile parameter values (issue 14, items 5 and 11): every size, count and magnitude has a bound checked when the
/// spec is parsed, numbers must be finite, and no value can make an operation crash, allocate beyond
/// `AugmentLimits.maxPixels` or run away.
@Suite("Parameter bounds")
struct ParameterBoundsTests {
    @Test("unbounded sizes and non-finite or absurd numbers are refused when parsed, naming the operation and parameter",
          arguments: [
              ("resize(size=100000)", "resize", "size"),
              ("resize(size=9460)", "resize", "size"),
              ("resize(size=2e9)", "resize", "size"),
              ("resize(size=2000000000)", "resize", "size"),
              ("resize(size=100000x100000)", "resize", "size"),
              ("resize(size=89478485x1)", "resize", "size"),
              ("resize(size=256, max_size=99999999999)", "resize", "max_size"),
              ("center_crop(size=100000)", "center_crop", "size"),
              ("center_crop(size=99999999999)", "center_crop", "size"),
              ("center_crop(size=99999999999999999999)", "center_crop", "size"),
              ("center_crop(size=9223372036854775807x2)", "center_crop", "size"),
              ("random_resized_crop(size=100000)", "random_resized_crop", "size"),
              ("random_resized_crop(size=224, scale=0.08:1e308)", "random_resized_crop", "scale"),
              ("random_resized_crop(size=224, ratio=1e-300:1)", "random_resized_crop", "ratio"),
              ("random_crop(size=100000)", "random_crop", "size"),
              ("crop(x=9223372036854775807, y=0, width=1, height=1)", "crop", "x"),
              ("crop(x=0, y=0, width=100000, height=1)", "crop", "width"),
              ("crop(x=0, y=0, width=20000, height=20000)", "crop", "height"),
              ("pad(padding=100000)", "pad", "padding"),
              ("pad(padding=9223372036854775807;0)", "pad", "padding"),
              ("rotate(degrees=1e308)", "rotate", "degrees"),
              ("rotate(degrees=361)", "rotate", "degrees"),
              ("rotate(degrees=-1e308:1e308)", "rotate", "degrees"),
              ("rotate(degrees=nan)", "rotate", "degrees"),
              ("rotate(angle=inf)", "rotate", "angle"),
              ("rotate(angle=-inf)", "rotate", "angle"),
              ("rotate(degrees=10, center=1e308;0)", "rotate", "center"),
              ("hflip(p=nan)", "hflip", "p"),
              ("vflip(p=inf)", "vflip", "p"),
              ("affine(matrix=1;0;1e308;0;1;0)", "affine", "matrix"),
              ("random_affine(degrees=10, shear=1e308)", "random_affine", "shear"),
              ("random_affine(degrees=10, scale=1e-300:1)", "random_affine", "scale"),
              ("random_affine(degrees=10, translate=nan;0)", "random_affine", "translate"),
              ("shear_x(factor=1e308)", "shear_x", "factor"),
              ("translate_y(offset=1e308)", "translate_y", "offset"),
              ("translate_x(offset=2, relative=true)", "translate_x", "offset"),
              ("color(factor=1e308)", "color", "factor"),
              ("brightness(factor=-1e308:0)", "brightness", "factor"),
              ("solarize_add(add=10, threshold=99999999999)", "solarize_add", "threshold"),
              ("color_jitter(brightness=1e308)", "color_jitter", "brightness"),
              ("color_jitter(hue=0.6)", "color_jitter", "hue"),
              ("color_jitter(hue=nan)", "color_jitter", "hue"),
              ("gaussian_blur(kernel_size=99999999999)", "gaussian_blur", "kernel_size"),
              ("gaussian_blur(kernel_size=257)", "gaussian_blur", "kernel_size"),
              ("gaussian_blur(kernel_size=5, sigma=1e-300)", "gaussian_blur", "sigma"),
              ("gaussian_blur(kernel_size=5, sigma=inf)", "gaussian_blur", "sigma"),
              ("random_erasing(area=-1:1)", "random_erasing", "area"),
              ("random_erasing(aspect=1e-300:1e300)", "random_erasing", "aspect"),
              ("one_of(hflip | vflip, weights=1e308:1e308)", "one_of", "weights"),
              ("some_of(hflip, n=99999999999, replace=true)", "some_of", "n"),
              ("random_apply(hflip, p=1e308)", "random_apply", "p"),
              ("randaugment(rand-m9-n99999999999)", "randaugment", "config"),
              ("randaugment(rand-m1000000)", "randaugment", "config"),
              ("randaugment(rand-m9-mstd1e308)", "randaugment", "config"),
              ("randaugment(rand-m9-mmax99999)", "randaugment", "config"),
              ("randaugment(rand-m9-p2)", "randaugment", "config"),
              ("augmix(augmix-w99999999999)", "augmix", "config"),
              ("augmix(augmix-d99999999999)", "augmix", "config"),
              ("augmix(augmix-a1e308)", "augmix", "config"),
              ("autoaugment(v0-mstd1e308)", "autoaugment", "config"),
              ("tv_randaugment(num_ops=99999999999)", "tv_randaugment", "num_ops"),
              ("tv_randaugment(bins=99999999999)", "tv_randaugment", "bins"),
              ("trivialaugment(bins=9223372036854775807)", "trivialaugment", "bins"),
          ])
    func refusedWhenParsed(spec: String, operation: String, parameter: String) {
        do {
            _ = try PipelineSpec.parse(spec)
            Issue.record("\(spec) was accepted")
        } catch {
            #expect(error.operation == operation, "\(spec): \(error.description)")
            #expect(error.message.contains("parameter '\(parameter)'"), "\(spec): \(error.description)")
        }
    }

    @Test("the bounds themselves are accepted")
    func boundsAreInclusive() throws {
        #expect(AugmentLimits.maxPixels == DecodeOptions.pillowMaxPixels)
        #expect(AugmentLimits.maxShorterEdge == 9459)
        #expect(9459 * 9459 <= AugmentLimits.maxPixels && 9460 * 9460 > AugmentLimits.maxPixels)
        let accepted = [
            "resize(size=9459)", "resize(size=9000, max_size=9942)", "resize(size=2048, max_size=\(AugmentLimits.maxPixels / 2048))",
            "resize(size=65535x1365)", "center_crop(size=9459)", "random_resized_crop(size=1365x65535)",
            "rotate(degrees=360)", "rotate(angle=-360)", "random_affine(degrees=-360:360, shear=-360;360;-360;360, scale=0.01:100)",
            "color(factor=-100:100)", "color_jitter(brightness=99, contrast=0:100, saturation=99, hue=0.5)",
            "gaussian_blur(kernel_size=255x1, sigma=0.001:1000)", "pad(padding=4729)",
            "crop(x=-\(AugmentLimits.maxCoordinate), y=\(AugmentLimits.maxCoordinate), width=9459, height=9459)",
            "randaugment(rand-m100-n100-mstd1000-mmax100-p1-inc1)", "augmix(augmix-m100-w100-d100-a1000-b1)",
            "tv_randaugment(num_ops=100, bins=1000, magnitude=999)", "trivialaugment(bins=1000)",
            "some_of(hflip, n=1000, replace=true)",
        ]
        for spec in accepted { _ = try PipelineSpec.parse(spec) }
        #expect(throws: AugmentError.self) { try PipelineSpec.parse("resize(size=2048, max_size=\(AugmentLimits.maxPixels / 2048 + 1))") }
        #expect(throws: AugmentError.self) { try PipelineSpec.parse("resize(size=256, max_size=65536)") }
        #expect(throws: AugmentError.self) { try PipelineSpec.parse("resize(size=9459, max_size=9460)") }
        #expect(throws: AugmentError.self) { try PipelineSpec.parse("resize(size=65536x1)") }
        #expect(throws: AugmentError.self) { try PipelineSpec.parse("pad(padding=4730)") }
    }

    @Test("an output that would exceed maxPixels only because of the input's shape fails before it is allocated")
    func outputsDependingOnTheInputAreChecked() throws {
        // Matching the shorter edge 1000 of a 1×1000 image would give 1000 × 1,000,000 pixels.
        var tall = TestImages.sample(.decoded(TestImages.natural(width: 1, height: 1000)))
        var rng = SampleRNG(seed: 1, epoch: 0, position: 0)
        #expect(throws: AugmentError.self) { try PipelineSpec.parse("resize(size=1000)").augment(&tall, using: &rng) }
        // 5000 columns of padding each side of a 10×10000 image: 10,010 × 10,000 pixels.
        var wide = TestImages.sample(.decoded(Image(width: 10, height: 10_000, channels: 1)))
        do {
            try PipelineSpec.parse("pad(padding=5000;0)").augment(&wide, using: &rng)
            Issue.record("the padded output was allocated")
        } catch {
            #expect(error.operation == "pad" && error.message.contains("limit of \(AugmentLimits.maxPixels) pixels"))
        }
        #expect(throws: AugmentError.self) {
            try PipelineSpec.parse("random_crop(size=9000x9000, pad_if_needed=true)").augment(&wide, using: &rng)
        }
        // A 1×13,500 image turned 45° with expand needs about 9547 × 9547 pixels.
        var strip = TestImages.sample(.decoded(Image(width: 1, height: 13_500, channels: 1)))
        do {
            try PipelineSpec.parse("rotate(angle=45, expand=true)").augment(&strip, using: &rng)
            Issue.record("the expanded rotation was allocated")
        } catch {
            #expect(error.operation == "rotate" && error.message.contains("limit of \(AugmentLimits.maxPixels) pixels"))
        }
    }

    @Test("random parameter values across the whole registry parse into an AugmentError or a pipeline that runs")
    func hostileValuesNeverCrash() throws {
        let registry = AugmenterRegistry.shared
        let operations = registry.names
        let cases = 5_000
        var generator = SampleRNG(seed: 14, epoch: 5, position: 0)
        let image = TestImages.natural(width: 32, height: 24)
        var refused = 0, failed = 0
        var ran: [String: Int] = [:], exercised: [String: Set<String>] = [:]
        for index in 0..<cases {
            let name = operations[index % operations.count]
            let names = (registry.parameters(of: name) ?? []).filter { $0 != PipelineSpec.childrenKey }
            // A valid stage with one or two of its parameters replaced (or added) with hostile values (now and then
            // none, so that every operation also runs).
            var values = try #require(HostileValues.validStages[name], "no valid stage for '\(name)': add one")
            let replaced = names.isEmpty || generator.chance(0.05) ? 0 : generator.chance(0.7) ? 1 : min(2, names.count)
            for _ in 0..<replaced {
                let parameter = names[generator.int(in: 0...(names.count - 1))]
                values[parameter] = HostileValues.value(for: parameter, using: &generator)
                exercised[name, default: []].insert(parameter)
            }
            let augmenter: any Augmenter
            do {
                augmenter = try registry.make(name, values)
            } catch {
                #expect(error.operation == name, "\(name)(\(values)): \(error)")
                refused += 1
                continue
            }
            var sample = TestImages.sample(.decoded(image))
            var rng = SampleRNG(seed: UInt64(index), epoch: 0, position: 0)
            do {
                try augmenter.augment(&sample, using: &rng)
                ran[name, default: 0] += 1
                let output = try #require(TestImages.pixels(sample), "\(name)(\(values)) left no pixels")
                #expect(output.width * output.height <= AugmentLimits.maxPixels, "\(name)(\(values))")
            } catch {
                failed += 1
            }
        }
        // Every parameter of every operation got hostile values, and every operation ran on some of them.
        for name in operations {
            let names = Set((registry.parameters(of: name) ?? []).filter { $0 != PipelineSpec.childrenKey })
            #expect(exercised[name, default: []] == names, "\(name): \(names.subtracting(exercised[name, default: []]))")
            #expect(ran[name, default: 0] > 0, "\(name) never ran")
        }
        let runs = ran.values.reduce(0, +)
        #expect(refused > 0 && runs > 0 && refused + runs + failed == cases, "refused \(refused), ran \(runs), failed \(failed)")
    }
}

/// Values chosen to break parsers and arithmetic: edges of the integer and floating-point ranges, non-finite values,
/// tiny and huge magnitudes, random numbers, and the compound forms (`low:high`, `WxH`, `a;b;…`, timm config strings)
/// built from them, mixed with ordinary values so that the pipelines that do parse also run.
enum HostileValues {
    /// A valid stage of every registered operation, whose parameters the property test replaces one or two at a time.
    static let validStages: [String: [String: String]] = {
        let children = [PipelineSpec.childrenKey: "hflip | vflip(p=1)"]
        var stages: [String: [String: String]] = [
            "resize": ["size": "16"], "center_crop": ["size": "16"], "random_resized_crop": ["size": "16"],
            "hflip": ["p": "0.5"], "vflip": ["p": "0.5"], "identity": [:],
            "rotate": ["degrees": "10"], "affine": ["matrix": "1;0.1;0;0;1;0"],
            "random_affine": ["degrees": "10", "translate": "0.1;0.1", "scale": "0.9:1.1", "shear": "5"],
            "shear_x": ["factor": "0.2"], "shear_y": ["factor": "0.2"], "translate_x": ["offset": "3"],
            "translate_y": ["offset": "3"], "pad": ["padding": "2"], "crop": ["x": "1", "y": "2", "width": "10", "height": "8"],
            "random_crop": ["size": "16", "padding": "2"], "posterize": ["bits": "4"], "solarize": ["threshold": "128"],
            "solarize_add": ["add": "20"], "grayscale": ["channels": "3"], "color_jitter": ["brightness": "0.4", "hue": "0.1"],
            "gaussian_blur": ["kernel_size": "5"], "random_erasing": ["p": "1"],
            "randaugment": ["config": "rand-m9-n2-mstd0.5"], "tv_randaugment": ["num_ops": "2"], "trivialaugment": [:],
            "autoaugment": ["policy": "v0"], "augmix": ["config": "augmix-m3-w3"],
        ]
        for name in ["autocontrast", "equalize", "invert"] { stages[name] = ["p": "1"] }
        for name in ["color", "contrast", "brightness", "sharpness"] { stages[name] = ["factor": "0.5:1.5"] }
        for name in ["sequence", "random_apply", "one_of", "some_of", "random_order"] { stages[name] = children }
        return stages
    }()

    /// Scalars that are hostile on their own.
    static let edges = ["0", "-1", "1", "99999999999", "\(Int.max)", "\(Int.min)", "99999999999999999999", "1e308", "-1e308",
                        "nan", "inf", "-inf", "1e-308", "5e-324", "-0", "1/0", "1e308/1e-308", "-nan", "0x1p1023",
                        // Just inside and outside documented bounds (the cheap ones: no huge but valid outputs).
                        "360", "-360", "361", "100", "-100", "1000", "1001", "0.001", "0.01", "255", "256", "0.5", "-0.5",
                        "\(AugmentLimits.maxCoordinate)", "-\(AugmentLimits.maxCoordinate)", "65536"]
    /// Words some parameters take (filters, modes, booleans, policies).
    static let words = ["nearest", "bilinear", "bicubic", "lanczos", "random", "constant", "edge", "reflect", "symmetric",
                        "const", "rand", "pixel", "true", "false", "imagenet", "v0", "originalr", ""]

    /// One scalar: an edge, a random integer in ±1e6, a random number of random magnitude, or an ordinary value
    /// (a small integer, a fraction, a word).
    static func scalar(using rng: inout SampleRNG) -> String {
        switch rng.int(in: 0...7) {
        case 0, 1: return edges[rng.int(in: 0...(edges.count - 1))]
        case 2: return String(rng.int(in: -1_000_000...1_000_000))
        case 3:
            let magnitude = pow(10, rng.uniform(-30, 30)) * (rng.chance(0.5) ? -1 : 1)
            return rng.chance(0.5) ? String(magnitude) : String(rng.uniform(-1_000_000, 1_000_000))
        case 4, 5: return String(rng.int(in: 0...40))
        case 6: return String(rng.uniform(0, 1))
        default: return words[rng.int(in: 0...(words.count - 1))]
        }
    }

    /// A value for a parameter: a scalar or one of the compound forms (`config` gets a timm config string).
    static func value(for parameter: String, using rng: inout SampleRNG) -> String {
        if parameter == PipelineSpec.positionalKey && rng.chance(0.8) {
            let sections = ["m", "n", "mstd", "mmax", "p", "inc", "w", "d", "a", "b"]
            let prefix = ["rand", "augmix", "v0", "original"][rng.int(in: 0...3)]
            let chosen = (0..<rng.int(in: 0...3)).map { _ in sections[rng.int(in: 0...(sections.count - 1))] + scalar(using: &rng) }
            return ([prefix] + chosen).joined(separator: "-")
        }
        switch rng.int(in: 0...5) {
        case 0, 1: return scalar(using: &rng)
        case 2: return scalar(using: &rng) + ":" + scalar(using: &rng)
        case 3: return scalar(using: &rng) + "x" + scalar(using: &rng)
        default: return (0..<[2, 3, 4, 6][rng.int(in: 0...3)]).map { _ in scalar(using: &rng) }.joined(separator: ";")
        }
    }
}
