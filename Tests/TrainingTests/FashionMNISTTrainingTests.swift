import Foundation
import IDX
import Testing
import Training

/// A tiny real training run: 1,000 Fashion-MNIST training images (Debian's `dataset-fashion-mnist`, which the set-up
/// script installs), 6 epochs of one-cycle AdamW, then 2,000 test images. Chance is 10 %; the run must reach 65 %
/// (it measures 71 %), and the loss must fall. A broken gradient, optimiser step or schedule stays near chance.
@Suite("Training: a tiny Fashion-MNIST run")
struct FashionMNISTTrainingTests {
    static let folder = ProcessInfo.processInfo.environment["SGID_FASHION_MNIST"] ?? "/usr/share/datasets/fashion-mnist"

    static func load(_ prefix: String, count: Int) throws -> (images: [UInt8], labels: [Int32]) {
        let images = try IDXReader.read(path: "\(folder)/\(prefix)-images-idx3-ubyte.gz")
        let labels = try IDXReader.read(path: "\(folder)/\(prefix)-labels-idx1-ubyte.gz")
        return (Array(images.values.prefix(count * 784)), labels.values.prefix(count).map { Int32($0) })
    }

    @Test func sixEpochsOnAThousandImagesBeatChanceByFar() throws {
        let train = try Self.load("train", count: 1000), test = try Self.load("t10k", count: 2000)
        let classifier = try Classifier(architecture: .fashion(channels: [16, 32, 64]), seed: 1)
        let epochs = 6, batch = 25
        let trainer = try Trainer(classifier: classifier, optimizer: AdamW(weightDecay: 5e-4),
                                  schedule: OneCycleSchedule(maxLearningRate: 8e-3, totalSteps: epochs * 1000 / batch),
                                  loss: SoftmaxCrossEntropy(labelSmoothing: 0.05), threads: 2, seed: 1)
        var losses: [Double] = []
        for epoch in 0..<epochs {
            var total = 0.0
            var order = Array(0..<1000)
            var rng = TrainingRNG(seed: 1, stream: 9, step: epoch)
            order.shuffle(using: &rng)
            for start in stride(from: 0, to: 1000, by: batch) {
                let picked = order[start..<start + batch]
                let bytes = picked.flatMap { train.images[$0 * 784..<($0 + 1) * 784] }
                let result = try bytes.withUnsafeBufferPointer {
                    try trainer.step(bytes: $0, targets: .labels(picked.map { train.labels[$0] }))
                }
                total += result.loss
            }
            losses.append(total / Double(1000 / batch))
        }
        let probabilities = try test.images.withUnsafeBufferPointer { try classifier.probabilities(bytes: $0, count: 2000, threads: 2) }
        var correct = 0
        for row in 0..<2000 {
            let scores = probabilities[row * 10..<(row + 1) * 10]
            if scores.firstIndex(of: scores.max()!)! - row * 10 == Int(test.labels[row]) { correct += 1 }
        }
        let accuracy = Double(correct) / 2000
        print("tiny Fashion-MNIST run: losses \(losses.map { String(format: "%.3f", $0) }), test accuracy \(accuracy)")
        #expect(accuracy >= 0.65)
        #expect(losses.last! < losses.first! * 0.7)
        #expect(abs(probabilities.prefix(10).reduce(0, +) - 1) < 1e-5)
    }
}
