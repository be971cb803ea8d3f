// A complete Swift training loop fed by SGIDKit: Fashion-MNIST (or any small gray ImageFolder / shards), SGID
// generations from a precomputed cache used with probability 0.9 (variants the scorer gives under 0.9 for their
// label left out), pad-2 random crop + flip, torchvision's
// RandAugment, normalised Float32 channels-last batches straight from the DataLoader into the Training module's
// classifier (AdamW + one-cycle), then top-1 accuracy on the test split. Deterministic per seed.
//
//   sgid datasets import fashion-mnist --out data/train --range 50000:60000 --per-class 100
//   sgid datasets import fashion-mnist --split test --out data/test
//   sgid precompute data/train --generator native --model Models/fashion-mnist-ddpm --cache cache --variants 10 --strength 0.5 --guidance 2 --steps 50
//   swift run -c release FashionMNISTExample data/train data/test [cache] [epochs]
//
// `sgid train` is the same loop with every knob on the command line (and a JSON report).
import Augment
import Foundation
import GenerationCache
import ImageCodec
import Loader
import SGID
import Training

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
    print("usage: FashionMNISTExample TRAIN TEST [CACHE_DIR] [EPOCHS]")
    exit(2)
}
let epochs = arguments.count > 3 ? Int(arguments[3]) ?? 60 : 60
let seed: UInt64 = 0, threads = ProcessInfo.processInfo.activeProcessorCount

// 1. The pipeline: SGID first (it swaps the still-encoded source for a cached variant), then the perturbations.
let statistics = SGIDStatistics()
let store = arguments.count > 2 ? try CacheStore(directory: arguments[2]) : nil
let randAugment = try TorchvisionRandAugment(numOps: 2, magnitude: 5)   // on top of SGID, chosen on validation (SEARCH.md)
let pipeline = Pipeline {
    if let store, let fingerprint = store.fingerprints.first {
        SGIDAugmenter(store: store, fingerprint: fingerprint, probability: 0.9, minScore: 0.9, statistics: statistics)
    }
    RandomCrop(size: PixelSize(width: 28, height: 28), padding: Pad(left: 2, top: 2, right: 2, bottom: 2))
    HorizontalFlip()
    randAugment
}

// 2. The loader: gray images, normalised with Fashion-MNIST's statistics, channels-last floats.
let normalization = Normalization(mean: [0.286], std: [0.353])
let configuration = LoaderConfiguration(batchSize: 64, output: .float32NHWC(normalization), seed: seed, colorMode: .gray)
let train = try Dataset.open(arguments[0]), test = try Dataset.open(arguments[1])
let loader = try DataLoader(dataset: train, pipeline: pipeline, configuration: configuration)
let stepsPerEpoch = ((train.knownCount ?? 0) + 63) / 64

// 3. The model and its optimiser: 3 convolutions (32/64/128), pooling, dropout 0.3, linear; AdamW + one-cycle.
let classifier = try Classifier(architecture: .fashion(classes: train.classNames.count), classNames: train.classNames, seed: seed)
let trainer = try Trainer(classifier: classifier, optimizer: AdamW(weightDecay: 5e-4),
                          schedule: OneCycleSchedule(maxLearningRate: 3e-3, totalSteps: epochs * stepsPerEpoch),
                          threads: threads, seed: seed)

// 4. Train: each batch's floats and labels go straight into a step.
for epoch in 0..<epochs {
    var loss = 0.0, correct = 0, seen = 0
    for try await batch in loader.batches(epoch: epoch) {
        let result = try batch.withFloatImages { try trainer.step(images: $0, targets: .labels(batch.labels)) }
        loss += result.loss * Double(result.count)
        correct += result.correct
        seen += result.count
    }
    let counts = statistics.snapshotAndReset()
    print(String(format: "epoch %d: loss %.4f, train accuracy %.1f%%, SGID hit rate %.0f%%", epoch, loss / Double(seen),
                 100 * Double(correct) / Double(seen), 100 * counts.hitRate))
}

// 5. Evaluate on the test split: canonical order, no augmentation.
var evaluation = configuration
evaluation.shuffle = false
var correct = 0, total = 0
for try await batch in try DataLoader(dataset: test, configuration: evaluation).batches(epoch: 0) {
    let logits = try batch.withFloatImages { try classifier.logits($0, count: batch.count, threads: threads) }
    for row in 0..<batch.count {
        let scores = logits[row * classifier.classes..<(row + 1) * classifier.classes]
        if scores.firstIndex(of: scores.max()!)! - row * classifier.classes == Int(batch.labels[row]) { correct += 1 }
        total += 1
    }
}
print(String(format: "test accuracy %.2f%% (%d of %d)", 100 * Double(correct) / Double(total), correct, total))
try classifier.save(to: "fashion-mnist-classifier")
