import Augment
import Testing
@testable import Loader

@Suite("Mixup and CutMix (timm semantics) on collated batches")
struct MixupTests {
    /// A batch whose every element of image `slot` is `value(slot, element)`.
    static func batch(count: Int, width: Int = 8, height: Int = 6, channels: Int = 3, format: OutputFormat = .uint8NHWC,
                      labels: [Int32]? = nil, value: (Int, Int) -> Double = { slot, _ in Double(10 * slot + 1) }) -> Batch {
        let elements = width * height * channels
        let memory = BatchMemoryPool(keep: 0).take(bytes: count * elements * format.elementBytes)
        for slot in 0..<count {
            for element in 0..<elements {
                if case .uint8NHWC = format {
                    memory.pointer.assumingMemoryBound(to: UInt8.self)[slot * elements + element] = UInt8(value(slot, element))
                } else {
                    memory.pointer.assumingMemoryBound(to: Float.self)[slot * elements + element] = Float(value(slot, element))
                }
            }
        }
        return Batch(epoch: 0, index: 0, count: count, width: width, height: height, channels: channels, format: format,
                     labels: labels ?? (0..<count).map { Int32($0 % 5) }, keys: (0..<count).map { "s\($0)" },
                     positions: Array(0..<count), memory: memory)
    }

    static func elements(_ batch: Batch) -> [Double] {
        if case .uint8NHWC = batch.format { return batch.withUInt8Images { $0.map(Double.init) } }
        return batch.withFloatImages { $0.map(Double.init) }
    }

    @Test("λ ~ Beta(α, α): mean 1/2 and variance 1/(4(2α+1)); switch_prob picks CutMix that often")
    func lambdaStatistics() throws {
        for alpha in [0.2, 0.8, 1.0] {
            let mixup = Mixup(mixupAlpha: alpha, labelSmoothing: 0, classes: 5)
            var lambdas: [Double] = []
            for index in 0..<3000 {
                var rng = SampleRNG(seed: 1, epoch: 0, position: index, stream: 7)
                lambdas.append(try mixup.mix(Self.batch(count: 2, width: 2, height: 2), using: &rng).mixes[0].lambda)
            }
            let mean = lambdas.reduce(0, +) / Double(lambdas.count)
            let variance = lambdas.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lambdas.count - 1)
            let expected = 1 / (4 * (2 * alpha + 1))
            #expect(abs(mean - 0.5) < 4 * (expected / 3000).squareRoot(), "α \(alpha): mean \(mean)")
            #expect(abs(variance / expected - 1) < 0.1, "α \(alpha): variance \(variance) vs \(expected)")
        }
        let both = Mixup(mixupAlpha: 1, cutmixAlpha: 1, switchProbability: 0.3, classes: 5)
        var cutmix = 0, mixed = 0
        for index in 0..<3000 {
            var rng = SampleRNG(seed: 2, epoch: 0, position: index)
            if try both.mix(Self.batch(count: 2), using: &rng).mixes[0].box != nil { cutmix += 1 }
        }
        #expect(abs(Double(cutmix) / 3000 - 0.3) < 0.034)
        let sometimes = Mixup(mixupAlpha: 1, probability: 0.4, classes: 5)
        for index in 0..<3000 {
            var rng = SampleRNG(seed: 3, epoch: 0, position: index)
            if try sometimes.mix(Self.batch(count: 2), using: &rng).mixes[0].lambda != 1 { mixed += 1 }
        }
        #expect(abs(Double(mixed) / 3000 - 0.4) < 0.036)
    }

    @Test("CutMix boxes: side int(size·√(1−λ)), centre uniform, clipped inside; minmax sides uniform in range")
    func boxStatistics() {
        var unclipped = 0
        for position in 0..<4000 {
            var rng = SampleRNG(seed: 4, epoch: 0, position: position)
            let (box, lambda) = CutMixBox.draw(width: 32, height: 32, lambda: 0.75, minMax: nil, correctLambda: false, using: &rng)
            #expect(lambda == 0.75)
            #expect(0 <= box.top && box.top <= box.bottom && box.bottom <= 32 && 0 <= box.left && box.left <= box.right && box.right <= 32)
            #expect(box.bottom - box.top <= 16 && box.right - box.left <= 16)
            if box.bottom - box.top == 16 && box.right - box.left == 16 { unclipped += 1 }
        }
        // Unclipped when 8 ≤ cy ≤ 24 and 8 ≤ cx ≤ 24: probability (17/32)².
        #expect(abs(Double(unclipped) / 4000 - (17.0 / 32) * (17.0 / 32)) < 0.03)
        var sides: [Int] = []
        for position in 0..<4000 {
            var rng = SampleRNG(seed: 5, epoch: 0, position: position)
            let (box, lambda) = CutMixBox.draw(width: 40, height: 20, lambda: 0.9, minMax: 0.2...0.8, correctLambda: false,
                                               using: &rng)
            #expect((8..<32).contains(box.right - box.left) && (4..<16).contains(box.bottom - box.top))
            #expect(box.left >= 0 && box.right <= 40 && box.top >= 0 && box.bottom <= 20)
            #expect(abs(lambda - (1 - Double(box.area) / 800)) < 1e-12)  // minmax always corrects
            sides.append(box.right - box.left)
        }
        let mean = Double(sides.reduce(0, +)) / Double(sides.count)
        #expect(abs(mean - 19.5) < 0.4, "mean width \(mean)")
    }

    @Test("CutMix pastes the partner's pixels inside the box, λ = the unpasted share, in every layout",
          arguments: [OutputFormat.uint8NHWC, .float32NCHW(.unit), .float32NHWC(.unit)])
    func pastedArea(format: OutputFormat) throws {
        let cutmix = Mixup.cutMix(alpha: 1, mode: .elem, classes: 5)
        for position in 0..<50 {
            var rng = SampleRNG(seed: 6, epoch: 0, position: position)
            let batch = Self.batch(count: 4, format: format)
            let mixed = try cutmix.mix(batch, using: &rng)
            let values = Self.elements(mixed.batch), elements = batch.imageElements
            for slot in 0..<4 {
                let mix = mixed.mixes[slot]
                let own = Double(10 * slot + 1), other = Double(10 * mix.partner + 1)
                let image = values[(slot * elements)..<((slot + 1) * elements)]
                let pasted = image.filter { $0 == other }.count, kept = image.filter { $0 == own }.count
                #expect(pasted + kept == elements)
                #expect(pasted == (mix.box?.area ?? 0) * 3)
                #expect(abs(mix.lambda - (1 - Double(pasted) / Double(elements))) < 1e-12)
            }
        }
    }

    @Test("Mixup blends with the flipped batch: bytes rounded half to even, floats exact")
    func blend() throws {
        let mixup = Mixup(mixupAlpha: 1, classes: 5)
        var rng = SampleRNG(seed: 7, epoch: 0, position: 0)
        let pattern: (Int, Int) -> Double = { slot, element in Double((slot * 37 + element * 11) % 256) }
        let bytes = try mixup.mix(Self.batch(count: 4, value: pattern), using: &rng)
        let lambda = Float(bytes.mixes[0].lambda)
        #expect(lambda != 1 && bytes.mixes.allSatisfy { $0.lambda == bytes.mixes[0].lambda && $0.box == nil })
        let values = Self.elements(bytes.batch), elements = bytes.batch.imageElements
        for slot in 0..<4 {
            for element in 0..<elements {
                let expected = (Float(pattern(slot, element)) * lambda + Float(pattern(3 - slot, element)) * Float(1 - bytes.mixes[0].lambda))
                    .rounded(.toNearestOrEven)
                #expect(values[slot * elements + element] == Double(expected))
            }
        }
        var rng2 = SampleRNG(seed: 7, epoch: 0, position: 0)
        let floats = try mixup.mix(Self.batch(count: 4, format: .float32NCHW(.unit), value: pattern), using: &rng2)
        let mixedFloats = Self.elements(floats.batch)
        for slot in 0..<4 {
            for element in 0..<elements {
                let expected = Float(pattern(slot, element)) * lambda + Float(pattern(3 - slot, element)) * Float(1 - floats.mixes[0].lambda)
                #expect(mixedFloats[slot * elements + element] == Double(expected))
            }
        }
    }

    @Test("soft targets: λ·onehot(y) + (1−λ)·onehot(y_partner), label-smoothed, rows sum to 1",
          arguments: MixMode.allCases)
    func targets(mode: MixMode) throws {
        let mixup = Mixup(mixupAlpha: 0.8, cutmixAlpha: 1, mode: mode, labelSmoothing: 0.1, classes: 5)
        let off: Float = 0.1 / 5, on: Float = 1 - 0.1 + 0.1 / 5
        for position in 0..<30 {
            var rng = SampleRNG(seed: 8, epoch: 0, position: position)
            let mixed = try mixup.mix(Self.batch(count: 6, labels: [0, 1, 2, 3, 4, 4]), using: &rng)
            for slot in 0..<6 {
                let row = Array(mixed.target(slot)), mix = mixed.mixes[slot]
                #expect(abs(row.reduce(0, +) - 1) < 1e-5)
                #expect(mix.partner == 5 - slot)
                let lambda = Float(mix.lambda)
                let own = Int(mixed.batch.labels[slot]), other = Int(mixed.batch.labels[mix.partner])
                for column in 0..<5 {
                    let expected = (column == own ? on : off) * lambda + (column == other ? on : off) * (1 - lambda)
                    #expect(abs(row[column] - expected) < 1e-6)
                }
            }
            let lambdas = mixed.mixes.map(\.lambda)
            switch mode {
            case .batch: #expect(Set(lambdas).count == 1)
            case .pair: #expect((0..<3).allSatisfy { lambdas[$0] == lambdas[5 - $0] && mixed.mixes[$0].box == mixed.mixes[5 - $0].box })
            case .elem: #expect(Set(lambdas).count > 1)
            }
        }
    }

    @Test("probability 0 leaves images untouched with smoothed one-hot targets; bad batches are refused")
    func noMixAndErrors() throws {
        let never = Mixup(mixupAlpha: 1, probability: 0, labelSmoothing: 0.2, classes: 4)
        var rng = SampleRNG(seed: 9, epoch: 0, position: 0)
        let batch = Self.batch(count: 2, labels: [1, 3])
        let before = Self.elements(batch)
        let mixed = try never.mix(batch, using: &rng)
        #expect(Self.elements(mixed.batch) == before)
        #expect(Array(mixed.target(0)) == [0.05, 0.85, 0.05, 0.05])
        #expect(throws: AugmentError.self) { try Mixup(classes: 4).mix(Self.batch(count: 3, labels: [0, 1, 2]), using: &rng) }
        #expect(throws: AugmentError.self) { try Mixup(classes: 4).mix(Self.batch(count: 2, labels: [0, -1]), using: &rng) }
        #expect(throws: AugmentError.self) { try Mixup(classes: 4).mix(Self.batch(count: 2, labels: [0, 4]), using: &rng) }
        #expect(throws: AugmentError.self) { try Mixup(mixupAlpha: 0, classes: 4).mix(Self.batch(count: 2, labels: [0, 1]), using: &rng) }
        #expect(Mixup(mixupAlpha: 0, cutmixMinMax: 0.2...0.5).cutmixAlpha == 1)
    }

    @Test("the spec form uses timm's argument names and defaults; errors name the parameter")
    func spec() throws {
        let mixup = try Mixup.parse("mixup(mixup_alpha=0.8, cutmix_alpha=1, switch_prob=0.3, mode=pair, label_smoothing=0, num_classes=10)")
        #expect(mixup.mixupAlpha == 0.8 && mixup.cutmixAlpha == 1 && mixup.switchProbability == 0.3 && mixup.mode == .pair)
        #expect(mixup.labelSmoothing == 0 && mixup.classes == 10 && mixup.correctLambda && mixup.probability == 1)
        let defaults = try Mixup.parse("mixup")
        #expect(defaults.mixupAlpha == 1 && defaults.cutmixAlpha == 0 && defaults.labelSmoothing == 0.1 && defaults.classes == 1000)
        let cutmix = try Mixup.parse("cutmix(cutmix_minmax=0.2:0.8, correct_lam=false, prob=0.5)")
        #expect(cutmix.mixupAlpha == 0 && cutmix.cutmixAlpha == 1 && cutmix.cutmixMinMax == 0.2...0.8 && !cutmix.correctLambda)
        // timm's list form as specs write lists (`;`), bare or bracketed, means the same range.
        for list in ["0.2;0.8", "[0.2;0.8]", " [ 0.2 ; 0.8 ] "] {
            #expect(try Mixup.parse("cutmix(cutmix_minmax=\(list))").cutmixMinMax == 0.2...0.8, "\(list)")
        }
        for (text, fragment) in [("mixup(alpha=1)", "unknown parameter 'alpha'"), ("mixup(mode=row)", "parameter 'mode' = 'row'"),
                                 ("mixup(prob=2)", "parameter 'prob' = '2'"), ("mixup(cutmix_minmax=0.5:2)", "parameter 'cutmix_minmax'"),
                                 ("mixup(cutmix_minmax=0.8;0.2)", "parameter 'cutmix_minmax' = '0.8;0.2'"),
                                 ("mixup(cutmix_minmax=0.1;0.2;0.3)", "parameter 'cutmix_minmax'"),
                                 ("mixup(cutmix_minmax=[0;0.5])", "parameter 'cutmix_minmax'"),
                                 ("mixup(mixup_alpha=0)", "parameter 'mixup_alpha'"), ("hflip", "expected one 'mixup"),
                                 ("mixup | cutmix", "expected one 'mixup"),
                                 // Non-finite and out-of-range values (issue 14): refused, naming the parameter.
                                 ("mixup(mixup_alpha=nan)", "parameter 'mixup_alpha' = 'nan'"),
                                 ("mixup(mixup_alpha=1e308)", "parameter 'mixup_alpha' = '1e308'"),
                                 ("cutmix(cutmix_alpha=inf)", "parameter 'cutmix_alpha' = 'inf'"),
                                 ("cutmix(cutmix_minmax=0.2:1e308)", "parameter 'cutmix_minmax'"),
                                 ("mixup(label_smoothing=-inf)", "parameter 'label_smoothing'"),
                                 ("mixup(num_classes=99999999999)", "parameter 'num_classes' = '99999999999'")] {
            do {
                _ = try Mixup.parse(text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.message.contains(fragment), "\(error)")
            }
        }
    }
}

/// Mixup as the loader's batch stage: the same images and targets as mixing each collated batch by hand with the
/// batch's own stream (what `sgid run --mixup` did before the stage existed), whatever the thread count.
@Suite("Mixup as a loader stage")
struct MixupStageTests {
    static let mixup = Mixup(mixupAlpha: 0.8, cutmixAlpha: 1, labelSmoothing: 0.1, classes: 2)

    static func batches(threads: Int, mixup: Mixup?) throws -> [Batch] {
        let configuration = LoaderConfiguration(batchSize: 6, output: .float32NCHW(.imagenet), seed: 5, threads: threads,
                                                dropLast: true, mixup: mixup)
        return try allBatches(DataLoader(dataset: MemoryIndexedDataset(count: 30), configuration: configuration).epoch(2))
    }

    @Test func theStageMixesEachBatchWithItsOwnStream() throws {
        let staged = try Self.batches(threads: 3, mixup: Self.mixup)
        let plain = try Self.batches(threads: 1, mixup: nil)
        #expect(staged.count == 5 && plain.count == 5)
        for (stagedBatch, plainBatch) in zip(staged, plain) {
            var rng = SampleRNG(seed: 5, epoch: 2, position: plainBatch.index, stream: 7)
            let byHand = try Self.mixup.mix(plainBatch, using: &rng)
            #expect(stagedBatch.targets == byHand.targets)
            #expect(stagedBatch.mixes == byHand.mixes)
            #expect(stagedBatch.withFloatImages(Array.init) == byHand.batch.withFloatImages(Array.init))
            #expect(plainBatch.targets == nil)
        }
        #expect(staged.contains { $0.mixes?.contains { $0.lambda != 1 } == true })
        let again = try Self.batches(threads: 1, mixup: Self.mixup)
        #expect(again.map(\.targets) == staged.map(\.targets))
    }

    @Test func anOddBatchSizeIsRefusedUpFront() {
        #expect(throws: LoaderError.self) {
            try DataLoader(dataset: MemoryIndexedDataset(count: 4), configuration: LoaderConfiguration(batchSize: 3, mixup: Self.mixup))
        }
    }

    @Test func batchImagesMapBackThroughTheNormalisation() throws {
        let bytes = try allBatches(DataLoader(dataset: MemoryIndexedDataset(count: 4), configuration: LoaderConfiguration(
            batchSize: 4, shuffle: false)).epoch(0))[0]
        let floats = try allBatches(DataLoader(dataset: MemoryIndexedDataset(count: 4), configuration: LoaderConfiguration(
            batchSize: 4, output: .float32NCHW(.imagenet), shuffle: false)).epoch(0))[0]
        for slot in 0..<4 { #expect(floats.image(at: slot) == bytes.image(at: slot)) }
    }
}
