import TensorKernels

/// Self-attention over the pixels of an image, as diffusers' `Attention` with `AttnProcessor2_0` runs it inside the
/// UNet2D blocks: GroupNorm over channels, `to_q`/`to_k`/`to_v` on every pixel, `heads` heads of `headDim` features,
/// softmax(QKᵀ / √headDim)·V, `to_out.0`, then the residual added and the sum divided by `rescaleOutputFactor`.
public struct SpatialAttention: Sendable {
    /// Queries attended at once.
    static let queryBlock = 512
    /// Channels of the image.
    public let channels: Int
    /// Heads.
    public let heads: Int
    /// Features per head.
    public let headDim: Int
    /// The divisor of the output (diffusers' `rescale_output_factor`).
    public let rescaleOutputFactor: Float
    let norm: GroupNorm?
    let query: Linear
    let key: Linear
    let value: Linear
    let out: Linear

    /// Creates the block.
    /// - Parameters:
    ///   - channels: Channels of the image (query dimension).
    ///   - heads: Heads.
    ///   - headDim: Features per head (`heads × headDim` is the inner dimension).
    ///   - norm: The group norm, or `nil`.
    ///   - query: `to_q` (channels → inner).
    ///   - key: `to_k`.
    ///   - value: `to_v`.
    ///   - out: `to_out.0` (inner → channels).
    ///   - rescaleOutputFactor: The output divisor.
    /// - Throws: `.shapeMismatch` when the projections do not fit.
    public init(channels: Int, heads: Int, headDim: Int, norm: GroupNorm?, query: Linear, key: Linear, value: Linear, out: Linear,
                rescaleOutputFactor: Float) throws(TensorError) {
        let inner = heads * headDim
        guard heads >= 1, headDim >= 1, [query, key, value].allSatisfy({ $0.inFeatures == channels && $0.outFeatures == inner }),
              out.inFeatures == inner, out.outFeatures == channels, norm.map({ $0.channels == channels }) ?? true else {
            throw TensorError(.shapeMismatch, "attention: projections do not fit \(channels) channels and \(heads) heads of \(headDim)")
        }
        self.channels = channels
        self.heads = heads
        self.headDim = headDim
        self.norm = norm
        self.query = query
        self.key = key
        self.value = value
        self.out = out
        self.rescaleOutputFactor = rescaleOutputFactor
    }

    /// Multiply-adds per image of `pixels` pixels (projections and the two attention products).
    /// - Parameter pixels: Tokens.
    /// - Returns: The count.
    public func multiplyAdds(pixels: Int) -> Int {
        let inner = heads * headDim
        return 4 * pixels * channels * inner + 2 * pixels * pixels * inner
    }

    /// Attends over `map`'s pixels and adds the result in place (`map = (map + attention(map)) / rescale`).
    /// - Parameters:
    ///   - map: The image.
    ///   - normalized: Scratch of the same size.
    ///   - workspace: Scratch for the projections and scores.
    public func apply(_ map: FeatureMap, normalized: FeatureMap, workspace: Workspace) {
        precondition(map.channels == channels && normalized.count == map.count, "attention over \(channels) channels")
        let tokens = map.pixels, inner = heads * headDim
        let source: UnsafePointer<Float>
        if let norm {
            norm.apply(map, into: normalized, silu: false)
            source = UnsafePointer(normalized.values)
        } else {
            source = UnsafePointer(map.values)
        }
        let fused = sgid_attention_head_supported(Int32(tokens), Int32(headDim)) != 0
        let scratch = workspace.scratch(4 * tokens * inner + (fused ? (headDim + 8) * tokens : tokens * tokens))
        let q = scratch, k = scratch + tokens * inner, v = k + tokens * inner, o = v + tokens * inner
        let scores = o + tokens * inner
        query.apply(source, rows: tokens, into: q)
        key.apply(source, rows: tokens, into: k)
        value.apply(source, rows: tokens, into: v)
        let scale = 1 / Float(headDim).squareRoot()
        for head in 0..<heads {
            let offset = head * headDim
            if fused {
                // Eight queries at a time: their scores stay in cache from QKᵀ through softmax to ·V.
                sgid_attention_head(q + offset, k + offset, v + offset, Int32(tokens), Int32(headDim), Int32(inner), scale,
                                    o + offset, Int32(inner), scores)
            } else {
                BLAS.gemm(transposeB: true, m: tokens, n: tokens, k: headDim, a: q + offset, lda: inner, b: k + offset, ldb: inner,
                          c: scores, ldc: tokens)
                sgid_softmax_rows(scores, Int32(tokens), Int32(tokens), scale)
                BLAS.gemm(m: tokens, n: headDim, k: tokens, a: scores, lda: tokens, b: v + offset, ldb: inner, c: o + offset, ldc: inner)
            }
        }
        // to_out.0 into the normalised scratch, then the residual.
        out.apply(o, rows: tokens, into: normalized.values)
        Elementwise.addAndDivide(map.values, normalized.values, count: map.count, divisor: rescaleOutputFactor)
    }
}
