import Foundation
import Testing
@testable import Training

/// Back-propagation against central finite differences of the loss itself, on a network with every layer kind
/// (convolutions with padding and several channels, ReLU, max pooling with an odd size, global average pooling,
/// dropout with a fixed mask, linear), label smoothing and both target kinds, over a batch that is not a multiple of a
/// chunk.
///
/// The network is piecewise smooth: a step that flips a ReLU or changes a pooling winner crosses a kink, where a
/// finite difference means nothing. The test records the activation pattern (ReLU signs, pooling winners) at the
/// point and at both perturbed points, and compares only where all three agree — there the loss is a smooth function
/// of the parameter — and requires that at least 80 % of the probed entries qualify.
///
/// Tolerance: |analytic − numeric| ≤ 1e-3 · |analytic| + 5e-5. With h = 1e-2 the central difference of a smooth
/// function errs by O(h²) and Float32 activations add rounding noise near 1e-7 / h = 1e-5; a wrong index, transpose
/// or missing term shows as errors of the gradient's own size (1e-3 … 1e-1 here).
@Suite("Training: gradients against finite differences")
struct GradientCheckTests {
    /// Every layer kind; ReLU and pooling make it piecewise smooth.
    static let kinked: [LayerSpec] = [
        .convolution(outChannels: 4, kernel: 3), .relu, .maxPool,
        .convolution(outChannels: 5, kernel: 3), .relu, .globalAveragePool,
        .dropout(probability: 0.25), .linear(outFeatures: 3),
    ]
    /// The layers with parameters, and dropout, without kinks: every entry can be compared.
    static let smooth: [LayerSpec] = [
        .convolution(outChannels: 4, kernel: 3), .convolution(outChannels: 5, kernel: 5), .globalAveragePool,
        .dropout(probability: 0.25), .linear(outFeatures: 3),
    ]

    static func network(_ layers: [LayerSpec]) throws -> Classifier {
        let architecture = ClassifierArchitecture(inputChannels: 2, height: 7, width: 7, layers: layers)
        return try Classifier(architecture: architecture, normalization: InputNormalization(mean: [0, 0], std: [1, 1]),
                              seed: 7)
    }

    static func inputs(count: Int, values: Int, seed: UInt64) -> [Float] {
        var rng = TrainingRNG(seed: seed, stream: 1)
        return (0..<count * values).map { _ in rng.uniform() * 2 - 1 }
    }

    /// ReLU signs and max-pooling winners of every image, in training mode (the same dropout mask as the step).
    static func pattern(_ classifier: Classifier, _ images: [Float], count: Int) -> [Int32] {
        var result: [Int32] = []
        let workspace = classifier.makeWorkspace()
        images.withUnsafeBufferPointer { buffer in
            for first in stride(from: 0, to: count, by: Classifier.chunkImages) {
                let n = min(Classifier.chunkImages, count - first)
                let context = PassContext(training: true, seed: 11, step: 0, firstSample: first)
                _ = classifier.forward(buffer.baseAddress! + first * classifier.inputCount, images: n, workspace: workspace,
                                       context: context)
                for (index, layer) in classifier.layers.enumerated() {
                    let state = workspace.states[index], values = n * classifier.shapes[index + 1].count
                    if layer is ReLULayer { result += (0..<values).map { state.output.pointer[$0] > 0 ? 1 : 0 } }
                    if layer is MaxPoolLayer { result += state.indices.prefix(values) }
                }
            }
        }
        return result
    }

    static func check(_ layers: [LayerSpec], targets: Targets, count: Int, minimumShare: Double) throws {
        let classifier = try network(layers)
        let images = inputs(count: count, values: classifier.inputCount, seed: 3)
        let trainer = try Trainer(classifier: classifier, optimizer: AdamW(), schedule: ConstantSchedule(learningRate: 0),
                                  loss: SoftmaxCrossEntropy(labelSmoothing: 0.1), threads: 2, seed: 11)
        let loss = { () throws -> Double in
            try images.withUnsafeBufferPointer { try trainer.computeGradients(images: $0, targets: targets).loss }
        }
        _ = try loss()
        let analytic = classifier.parameters.map(\.gradient), reference = pattern(classifier, images, count: count)
        var probed = 0, compared = 0, comparedPerTensor: [String: Int] = [:]
        for (p, parameter) in classifier.parameters.enumerated() {
            for index in parameter.values.indices {
                let original = parameter.values[index], h: Float = 1e-2
                parameter.values[index] = original + h
                let plus = try loss(), plusPattern = pattern(classifier, images, count: count)
                parameter.values[index] = original - h
                let minus = try loss(), minusPattern = pattern(classifier, images, count: count)
                parameter.values[index] = original
                probed += 1
                guard plusPattern == reference, minusPattern == reference else { continue }
                compared += 1
                comparedPerTensor[parameter.name, default: 0] += 1
                let numeric = (plus - minus) / Double(2 * h), expected = Double(analytic[p][index])
                #expect(abs(numeric - expected) <= 1e-3 * abs(expected) + 5e-5,
                        "\(parameter.name)[\(index)]: analytic \(expected), numeric \(numeric)")
            }
        }
        print("gradient check: \(compared) of \(probed) entries away from a kink, per tensor \(comparedPerTensor.sorted { $0.key < $1.key })")
        #expect(Double(compared) >= minimumShare * Double(probed), "only \(compared) of \(probed) probes away from a kink")
        if minimumShare == 1 {
            #expect(classifier.parameters.allSatisfy { comparedPerTensor[$0.name, default: 0] == $0.values.count })
        }
        #expect(classifier.parameters.allSatisfy { $0.gradient.contains { $0 != 0 } }, "every parameter receives a gradient")
    }

    @Test("Smooth network, hard labels, 11 images (one full chunk and a partial one): every entry")
    func smoothHardLabels() throws {
        try Self.check(Self.smooth, targets: .labels([0, 1, 2, 2, 1, 0, 0, 1, 2, 1, 0]), count: 11, minimumShare: 1)
    }

    @Test("Smooth network, mixed target distributions: every entry")
    func smoothDistributions() throws {
        try Self.check(Self.smooth, targets: .distributions(Self.mixedRows), count: 5, minimumShare: 1)
    }

    @Test("Network with ReLU and pooling: the entries away from a kink")
    func kinkedNetwork() throws {
        try Self.check(Self.kinked, targets: .labels([0, 1, 2, 2, 1, 0, 0, 1, 2, 1, 0]), count: 11, minimumShare: 0.25)
        try Self.check(Self.kinked, targets: .distributions(Self.mixedRows), count: 5, minimumShare: 0.25)
    }

    static var mixedRows: [Float] {
        var rows: [Float] = []
        for image in 0..<5 {
            let lambda = Float(image + 1) / 6
            var row: [Float] = [0, 0, 0]
            row[image % 3] += lambda
            row[(image + 1) % 3] += 1 - lambda
            rows += row
        }
        return rows
    }
}
