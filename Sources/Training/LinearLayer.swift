import Tensor

/// y = W x + b on each image's flattened values (weights `[out, in]` as PyTorch's `nn.Linear`), as sgemm over the chunk.
final class LinearLayer: TrainableLayer {
    let inFeatures: Int
    let outFeatures: Int
    let weight: Parameter
    let bias: Parameter
    var parameters: [Parameter] { [weight, bias] }

    /// Creates the layer with PyTorch's default initialisation (uniform in ±1/√in).
    init(name: String, inFeatures: Int, outFeatures: Int, rng: inout TrainingRNG) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Parameter(name: name + ".weight", shape: [outFeatures, inFeatures],
                           values: (0..<outFeatures * inFeatures).map { _ in (rng.uniform() * 2 - 1) * bound })
        bias = Parameter(name: name + ".bias", shape: [outFeatures],
                         values: (0..<outFeatures).map { _ in (rng.uniform() * 2 - 1) * bound })
    }

    func outputShape(_ input: MapShape) -> MapShape { MapShape(height: 1, width: 1, channels: outFeatures) }

    func forward(_ input: UnsafePointer<Float>, images: Int, shape: MapShape, state: LayerState, context: PassContext) {
        let out = state.output.pointer
        weight.values.withUnsafeBufferPointer { w in
            bias.values.withUnsafeBufferPointer { b in
                for image in 0..<images { (out + image * outFeatures).update(from: b.baseAddress!, count: outFeatures) }
            }
            BLAS.gemm(transposeB: true, m: images, n: outFeatures, k: inFeatures, a: input, lda: inFeatures,
                      b: w.baseAddress!, ldb: inFeatures, beta: 1, c: out, ldc: outFeatures)
        }
    }

    func backward(_ input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, images: Int, shape: MapShape,
                  state: LayerState, gradients: [UnsafeMutablePointer<Float>], needsInputGradient: Bool) {
        for image in 0..<images {
            for o in 0..<outFeatures { gradients[1][o] += outputGradient[image * outFeatures + o] }
        }
        BLAS.gemm(transposeA: true, m: outFeatures, n: inFeatures, k: images, a: outputGradient, lda: outFeatures,
                  b: input, ldb: inFeatures, beta: 1, c: gradients[0], ldc: inFeatures)
        guard needsInputGradient else { return }
        weight.values.withUnsafeBufferPointer { w in
            BLAS.gemm(m: images, n: inFeatures, k: outFeatures, a: outputGradient, lda: outFeatures, b: w.baseAddress!,
                      ldb: inFeatures, c: state.inputGradient.pointer, ldc: inFeatures)
        }
    }
}
