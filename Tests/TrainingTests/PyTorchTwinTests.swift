import Foundation
import Safetensors
import Testing
import TestSupport
import Training

/// The Swift trainer against its PyTorch twin (`Tests/Peers/classifier_twin.py`, heavy environment) on the same
/// weights and batches: the same network as an `nn.Sequential`, AdamW, OneCycleLR with momentum cycling,
/// cross-entropy with label smoothing.
///
/// Tolerances. Loss: relative 1e-5. Gradients of the first batch: max |Δ| ≤ 2e-5 · max |g| per tensor (Float32 sums
/// in different orders — oneDNN's convolutions against im2col + OpenBLAS — differ near 1e-6 relative; a wrong term
/// is 1e-1 or more). Parameters after 6 AdamW steps: ≥ 99 % of the values within 1e-6 and every value within
/// 2 · Σ lr (AdamW divides by √v, so an entry whose gradient is rounding noise can move by up to lr in either
/// direction on each side; a wrong update rule moves most entries).
@Suite("Training vs the PyTorch twin", .serialized)
struct PyTorchTwinTests {
    static func twin(_ arguments: [String]) throws -> Data {
        guard let python = PeerPython.heavyInterpreter else {
            throw PeerPython.Failure(description: "the heavy environment (torch) is missing: run scripts/setup-heavy.sh")
        }
        let script = PeerPython.repositoryRoot.appendingPathComponent("Tests/Peers/classifier_twin.py").path
        return try PeerPython.runProcess(python, [script] + arguments)
    }

    struct Schedule: Decodable {
        let lr: [Double]
        let beta1: [Double]
    }

    @Test("OneCycleLR: learning rate and β₁ of every step", arguments: [10, 97, 960])
    func oneCycle(total: Int) throws {
        let peer = try JSONDecoder().decode(Schedule.self, from: Self.twin(["schedule", "\(total)", "0.003"]))
        let ours = OneCycleSchedule(maxLearningRate: 0.003, totalSteps: total)
        for step in 0..<total {
            let settings = ours.settings(at: step)
            #expect(abs(settings.learningRate - peer.lr[step]) <= 1e-12 * peer.lr[step] + 1e-18, "step \(step)")
            #expect(abs((settings.beta1 ?? 0) - peer.beta1[step]) <= 1e-12, "step \(step)")
        }
    }

    @Test("Six steps on the same weights and batches: losses, first gradients, final parameters")
    func steps() throws {
        let directory = try TemporaryDirectory()
        let classifier = try Classifier(architecture: .fashion(channels: [8, 16, 24], dropout: 0), seed: 3)
        try classifier.save(to: directory.path("model"))
        let trainer = try Trainer(classifier: classifier, optimizer: AdamW(weightDecay: 5e-4),
                                  schedule: OneCycleSchedule(maxLearningRate: 3e-3, totalSteps: 6),
                                  loss: SoftmaxCrossEntropy(labelSmoothing: 0.1), threads: 2)
        var tensors: [SafetensorsWriter.Tensor] = [
            .init(name: "settings.max_lr", shape: [], values: [3e-3]),
            .init(name: "settings.weight_decay", shape: [], values: [5e-4]),
            .init(name: "settings.smoothing", shape: [], values: [0.1]),
        ]
        var losses: [Double] = [], firstGradients: [String: [Float]] = [:], rates: [Double] = []
        for step in 0..<6 {
            let count = 19 + step
            var rng = TrainingRNG(seed: 8, stream: 5, step: step)
            let images = (0..<count * classifier.inputCount).map { _ in rng.uniform() * 3 - 1 }
            let labels = (0..<count).map { _ in Int32(rng.next() % 10) }
            tensors.append(.init(name: "images.\(step)", shape: [count, 28, 28, 1], values: images))
            tensors.append(.init(name: "labels.\(step)", shape: [count], values: labels.map(Float.init)))
            let result = try images.withUnsafeBufferPointer { try trainer.step(images: $0, targets: .labels(labels)) }
            losses.append(result.loss)
            rates.append(result.learningRate)
            if step == 0 { for p in classifier.parameters { firstGradients[p.name] = p.torchGradient } }
        }
        try SafetensorsWriter.write(tensors, to: directory.path("batches.safetensors"))
        _ = try Self.twin(["steps", directory.path("model"), directory.path("batches.safetensors"), directory.path("out.safetensors")])
        let peer = try SafetensorsFile(path: directory.path("out.safetensors"))

        let peerLosses = try peer.floats("loss"), peerRates = try peer.floats("lr")
        for step in 0..<6 {
            #expect(abs(losses[step] - Double(peerLosses[step])) <= 1e-5 * abs(losses[step]), "loss of step \(step)")
            #expect(abs(rates[step] - Double(peerRates[step])) <= 1e-6 * rates[step], "lr of step \(step)")
        }
        let totalRate = rates.reduce(0, +)
        for parameter in classifier.parameters {
            let theirs = try peer.floats("grad." + parameter.name), ours = try #require(firstGradients[parameter.name])
            let scale = theirs.map { abs($0) }.max() ?? 0
            let gradientError = zip(ours, theirs).map { abs($0 - $1) }.max() ?? 0
            #expect(scale > 0 && gradientError <= 2e-5 * scale, "\(parameter.name): gradient max |Δ| \(gradientError) of \(scale)")
            let final = try peer.floats(parameter.name), values = parameter.torchValues
            let errors = zip(values, final).map { abs($0 - $1) }
            let close = errors.filter { $0 <= 1e-6 }.count
            print("twin \(parameter.name): gradient max |Δ| \(gradientError) of \(scale); parameters \(close)/\(errors.count) within 1e-6, max |Δ| \(errors.max() ?? 0)")
            #expect(Double(close) >= 0.99 * Double(errors.count), "\(parameter.name): \(close) of \(errors.count) within 1e-6")
            #expect((errors.max() ?? 0) <= Float(2 * totalRate), "\(parameter.name): max |Δ| \(errors.max() ?? 0)")
        }
    }
}
