/// max(0, x); the gradient passes where the input was positive.
final class ReLULayer: TrainableLayer {
    var parameters: [Parameter] { [] }
    func outputShape(_ input: MapShape) -> MapShape { input }

    func forward(_ input: UnsafePointer<Float>, images: Int, shape: MapShape, state: LayerState, context: PassContext) {
        let out = state.output.pointer
        for index in 0..<images * shape.count { out[index] = max(0, input[index]) }
    }

    func backward(_ input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, images: Int, shape: MapShape,
                  state: LayerState, gradients: [UnsafeMutablePointer<Float>], needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        let dx = state.inputGradient.pointer
        for index in 0..<images * shape.count { dx[index] = input[index] > 0 ? outputGradient[index] : 0 }
    }
}

/// Inverted dropout: in training each value is zeroed with probability p and the others scaled by 1 / (1 − p); the
/// mask of a sample comes from (seed, layer, step, the sample's batch position), so it does not depend on chunking.
final class DropoutLayer: TrainableLayer {
    let probability: Float
    let stream: UInt64

    /// Creates the layer.
    /// - Parameters:
    ///   - probability: The drop probability.
    ///   - index: The layer's position in the network (its random stream).
    init(probability: Double, index: Int) {
        self.probability = Float(probability)
        stream = 0x6472_6F70_0000 + UInt64(index)  // "drop"
    }

    var parameters: [Parameter] { [] }
    func outputShape(_ input: MapShape) -> MapShape { input }

    func forward(_ input: UnsafePointer<Float>, images: Int, shape: MapShape, state: LayerState, context: PassContext) {
        let out = state.output.pointer, count = images * shape.count
        guard context.training, probability > 0 else {
            out.update(from: input, count: count)
            return
        }
        state.scratch.reserve(count)
        let mask = state.scratch.pointer, keep = 1 / (1 - probability)
        for image in 0..<images {
            var rng = TrainingRNG(seed: context.seed, stream: stream, step: context.step, sample: context.firstSample + image)
            for index in image * shape.count..<(image + 1) * shape.count {
                mask[index] = rng.uniform() < probability ? 0 : keep
                out[index] = input[index] * mask[index]
            }
        }
    }

    func backward(_ input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, images: Int, shape: MapShape,
                  state: LayerState, gradients: [UnsafeMutablePointer<Float>], needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        let dx = state.inputGradient.pointer, count = images * shape.count
        guard probability > 0 else {
            dx.update(from: outputGradient, count: count)
            return
        }
        let mask = state.scratch.pointer
        for index in 0..<count { dx[index] = outputGradient[index] * mask[index] }
    }
}
