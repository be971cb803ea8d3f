import ImageCodec

/// What AugMix drew for a sample: the chain weights, the blend weight and the chains' operations.
public struct AugMixDraw: Sendable, Hashable, Codable {
    /// The Dirichlet weights of the chains (single precision, as timm keeps them).
    public var weights: [Float]
    /// The Beta blend weight of the mixture against the original.
    public var mix: Float
    /// Each chain's operations.
    public var chains: [[TimmOpDraw]]

    /// Creates the record.
    /// - Parameters:
    ///   - weights: The chain weights.
    ///   - mix: The blend weight.
    ///   - chains: The chains.
    public init(weights: [Float], mix: Float, chains: [[TimmOpDraw]]) {
        self.weights = weights
        self.mix = mix
        self.chains = chains
    }

    /// Runs one chain on the original.
    func chain(_ index: Int, on image: Image, fill: [UInt8]) -> Image {
        chains[index].reduce(image) { $1.apply(to: $0, fill: fill) }
    }

    /// timm's `_apply_basic`: `Σ wᵢ·chainᵢ` accumulated in single precision, clipped to 0…255 and truncated, then
    /// `blend(image, mixed, mix)`.
    func basicMix(_ image: Image, fill: [UInt8]) -> Image {
        var mixed = [Float](repeating: 0, count: image.pixels.count)
        for index in chains.indices {
            let augmented = chain(index, on: image, fill: fill), weight = weights[index]
            for position in mixed.indices { mixed[position] += weight * Float(augmented.pixels[position]) }
        }
        let bytes = mixed.map { UInt8(max(0, min(255, $0)).rounded(.towardZero)) }
        let mixture = Image(width: image.width, height: image.height, channels: image.channels, pixels: bytes)
        return image.blended(with: mixture, alpha: Double(mix))
    }

    /// timm's `_apply_blended`: weights `wᵢ·mix` turned into successive blend factors from the last chain back
    /// (single precision), each chain blended into the running image.
    func blendedMix(_ image: Image, fill: [UInt8]) -> Image {
        var remaining: Float = 1
        var factors = [Float](repeating: 0, count: weights.count)
        for index in weights.indices.reversed() {
            let factor = weights[index] * mix / remaining
            remaining *= 1 - factor
            factors[index] = factor
        }
        var result = image
        for index in chains.indices {
            result = result.blended(with: chain(index, on: image, fill: fill), alpha: Double(factors[index]))
        }
        return result
    }
}
