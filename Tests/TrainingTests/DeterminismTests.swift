import Testing
import Training

/// The same seed and batches give the same parameters bit for bit whatever the number of worker threads; a different
/// seed gives different ones.
@Suite("Training: determinism across threads")
struct DeterminismTests {
    static func train(threads: Int, seed: UInt64 = 5) throws -> [[Float]] {
        let classifier = try Classifier(architecture: .fashion(channels: [8, 16, 16], size: 12), seed: seed)
        let trainer = try Trainer(classifier: classifier, optimizer: AdamW(weightDecay: 5e-4),
                                  schedule: OneCycleSchedule(maxLearningRate: 3e-3, totalSteps: 4),
                                  loss: SoftmaxCrossEntropy(labelSmoothing: 0.1), threads: threads, seed: seed)
        for step in 0..<4 {
            let count = 21 + step
            var rng = TrainingRNG(seed: 9, stream: 2, step: step)
            let images = (0..<count * classifier.inputCount).map { _ in rng.uniform() * 3 - 1 }
            let labels = (0..<count).map { Int32($0 * 7 % 10) }
            try images.withUnsafeBufferPointer { _ = try trainer.step(images: $0, targets: .labels(labels)) }
        }
        return classifier.parameters.map(\.values)
    }

    @Test("1, 2 and 3 threads")
    func threadCounts() throws {
        let one = try Self.train(threads: 1)
        #expect(try Self.train(threads: 2) == one)
        #expect(try Self.train(threads: 3) == one)
        #expect(try Self.train(threads: 1, seed: 6) != one)
    }
}
