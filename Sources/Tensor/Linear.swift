/// `torch.nn.Linear`: `y = x · Wᵀ + b` over the rows of a matrix (weights `[out, in]`), through sgemm.
public struct Linear: Sendable {
    /// Input features.
    public let inFeatures: Int
    /// Output features.
    public let outFeatures: Int
    let weight: [Float]
    let bias: [Float]?

    /// Creates a layer from PyTorch-layout parameters.
    /// - Parameters:
    ///   - weight: `outFeatures × inFeatures` values.
    ///   - bias: `outFeatures` values, or `nil`.
    ///   - inFeatures: Input features.
    ///   - outFeatures: Output features.
    /// - Throws: `.shapeMismatch` when the counts do not fit.
    public init(weight: [Float], bias: [Float]?, inFeatures: Int, outFeatures: Int) throws(TensorError) {
        guard inFeatures >= 1, outFeatures >= 1, weight.count == inFeatures * outFeatures, bias.map({ $0.count == outFeatures }) ?? true else {
            throw TensorError(.shapeMismatch, "linear: \(weight.count) weights, \(bias?.count ?? 0) biases for \(outFeatures)×\(inFeatures)")
        }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.weight = weight
        self.bias = bias
    }

    /// Applies the layer to `rows` rows.
    /// - Parameters:
    ///   - input: `rows × inFeatures`, row stride `inputStride`.
    ///   - rows: Rows.
    ///   - output: `rows × outFeatures`, row stride `outputStride`.
    ///   - inputStride: Floats between input rows (default `inFeatures`).
    ///   - outputStride: Floats between output rows (default `outFeatures`).
    public func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
                      inputStride: Int? = nil, outputStride: Int? = nil) {
        let ldc = outputStride ?? outFeatures
        if let bias {
            for row in 0..<rows { bias.withUnsafeBufferPointer { (output + row * ldc).update(from: $0.baseAddress!, count: outFeatures) } }
        }
        weight.withUnsafeBufferPointer { weights in
            BLAS.gemm(transposeB: true, m: rows, n: outFeatures, k: inFeatures, a: input, lda: inputStride ?? inFeatures,
                      b: weights.baseAddress!, ldb: inFeatures, beta: bias == nil ? 0 : 1, c: output, ldc: ldc)
        }
    }

    /// Applies the layer to one vector (a convenience for embeddings).
    /// - Parameter input: `inFeatures` values.
    /// - Returns: `outFeatures` values.
    public func callAsFunction(_ input: [Float]) -> [Float] {
        var output = [Float](repeating: 0, count: outFeatures)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { apply(source.baseAddress!, rows: 1, into: $0.baseAddress!) }
        }
        return output
    }
}
