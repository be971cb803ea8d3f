import Testing
@testable import Training

/// Input gradients of the parameter-free layers against finite differences of L = Σ r · layer(x), layer by layer
/// (the network checks cannot reach the first ReLU and the pooling through the kinks). Inputs keep every ReLU input
/// and every pooling window's runner-up at least 0.05 from a kink, so with h = 1e-2 L is linear along each probe and
/// the central difference is exact up to Float32 rounding: tolerance 1e-4.
@Suite("Training: layer input gradients")
struct LayerBackwardTests {
    static let shape = MapShape(height: 5, width: 6, channels: 3)
    static let images = 3

    /// Distinct values 0.1 apart, shuffled, centred on zero: no two within 0.05, none within 0.05 of zero.
    static func input() -> [Float] {
        let count = images * shape.count
        var values = (0..<count).map { Float($0 - count / 2) * 0.1 + 0.05 }
        var rng = TrainingRNG(seed: 4, stream: 3)
        values.shuffle(using: &rng)
        return values
    }

    static func check(_ layer: any TrainableLayer, training: Bool = false) {
        var x = input()
        let output = layer.outputShape(shape), state = LayerState(input: shape, output: output, images: images)
        var rng = TrainingRNG(seed: 5, stream: 4)
        let r = (0..<images * output.count).map { _ in rng.uniform() * 2 - 1 }
        let context = PassContext(training: training, seed: 2, step: 0, firstSample: 0)
        func objective(_ x: [Float]) -> Double {
            x.withUnsafeBufferPointer { layer.forward($0.baseAddress!, images: images, shape: shape, state: state, context: context) }
            return (0..<r.count).reduce(0.0) { $0 + Double(r[$1]) * Double(state.output.pointer[$1]) }
        }
        _ = objective(x)
        x.withUnsafeBufferPointer { input in
            r.withUnsafeBufferPointer { gradient in
                layer.backward(input.baseAddress!, outputGradient: gradient.baseAddress!, images: images, shape: shape,
                               state: state, gradients: [], needsInputGradient: true)
            }
        }
        let analytic = Array(UnsafeBufferPointer(start: state.inputGradient.pointer, count: x.count))
        for index in x.indices {
            let original = x[index]
            x[index] = original + 1e-2
            let plus = objective(x)
            x[index] = original - 1e-2
            let minus = objective(x)
            x[index] = original
            let numeric = (plus - minus) / 2e-2
            #expect(abs(numeric - Double(analytic[index])) <= 1e-4, "\(type(of: layer))[\(index)]: \(analytic[index]) vs \(numeric)")
        }
        #expect(analytic.contains { $0 != 0 })
    }

    @Test("ReLU") func relu() { Self.check(ReLULayer()) }
    @Test("2 × 2 max pooling, odd width and height") func maxPool() { Self.check(MaxPoolLayer()) }
    @Test("Global average pooling") func globalAverage() { Self.check(GlobalAveragePoolLayer()) }
    @Test("Dropout in training (fixed mask)") func dropout() { Self.check(DropoutLayer(probability: 0.4, index: 1), training: true) }

    @Test("Dropout keeps about 1 − p of the values, scaled by 1 / (1 − p), and passes everything at inference")
    func dropoutStatistics() {
        let layer = DropoutLayer(probability: 0.3, index: 6), big = MapShape(height: 100, width: 100, channels: 2)
        let state = LayerState(input: big, output: big, images: 1)
        let ones = [Float](repeating: 1, count: big.count)
        ones.withUnsafeBufferPointer {
            layer.forward($0.baseAddress!, images: 1, shape: big, state: state,
                          context: PassContext(training: true, seed: 1, step: 3, firstSample: 0))
        }
        let kept = (0..<big.count).filter { state.output.pointer[$0] != 0 }
        #expect(abs(Double(kept.count) / Double(big.count) - 0.7) < 0.01)
        #expect(kept.allSatisfy { abs(state.output.pointer[$0] - 1 / 0.7) < 1e-6 })
        ones.withUnsafeBufferPointer {
            layer.forward($0.baseAddress!, images: 1, shape: big, state: state,
                          context: PassContext(training: false, seed: 1, step: 3, firstSample: 0))
        }
        #expect((0..<big.count).allSatisfy { state.output.pointer[$0] == 1 })
    }

    @Test("Max pooling: the first of equal values wins, a NaN wins over numbers (PyTorch's rule)")
    func maxPoolTies() {
        let layer = MaxPoolLayer(), small = MapShape(height: 2, width: 2, channels: 2)
        let state = LayerState(input: small, output: layer.outputShape(small), images: 1)
        let values: [Float] = [1, 0, 3, .nan, 3, 2, 0, 5]  // channel 0: 1 3 3 0 → first 3; channel 1: 0 NaN 2 5 → NaN
        values.withUnsafeBufferPointer {
            layer.forward($0.baseAddress!, images: 1, shape: small, state: state,
                          context: PassContext(training: false, seed: 0, step: 0, firstSample: 0))
        }
        #expect(state.output.pointer[0] == 3 && state.indices[0] == 2)
        #expect(state.output.pointer[1].isNaN && state.indices[1] == 3)
    }
}
