import ImageCodec

extension RandomAffine: ReplayableAugmenter {
    /// `random_affine`.
    public var operationName: String { "random_affine" }

    /// Draws angle, translation (rounded half to even to whole pixels, as torchvision does), scale and shear.
    /// - Parameters:
    ///   - sample: The sample (its size bounds the translation).
    ///   - rng: The sample's generator.
    /// - Returns: The parameters, with the input's size.
    /// - Throws: `AugmentError` when the image's size cannot be read.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> RandomAffineParameters {
        let size = try sample.imageSize()
        let angle = rng.torchUniform(degrees)
        var offset = [0.0, 0.0]
        if let translate {
            let dx = translate.x * Double(size.width), dy = translate.y * Double(size.height)
            offset[0] = rng.torchUniform(-dx...dx).rounded(.toNearestOrEven)
            offset[1] = rng.torchUniform(-dy...dy).rounded(.toNearestOrEven)
        }
        let factor = scale.map { rng.torchUniform($0) } ?? 1
        let shear = [shearX.map { rng.torchUniform($0) } ?? 0, shearY.map { rng.torchUniform($0) } ?? 0]
        return RandomAffineParameters(angle: angle, translate: offset, scale: factor, shear: shear, input: size)
    }

    /// Applies the recorded transform. On an image of another size the translation is carried as the same fraction
    /// of each side and rounded half to even to whole pixels.
    /// - Parameters:
    ///   - parameters: The recorded parameters.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` for malformed lists or when decoding fails.
    public func apply(_ parameters: RandomAffineParameters, to sample: inout Sample) throws(AugmentError) {
        guard parameters.translate.count == 2, parameters.shear.count == 2 else {
            throw AugmentError(operation: operationName, key: sample.key, source: sample.source,
                               message: "translate and shear need two numbers each")
        }
        let size = try sample.imageSize()
        var offset = (x: parameters.translate[0], y: parameters.translate[1])
        if let input = parameters.input, input != size {
            offset.x = carriedLength(offset.x, from: input.width, to: size.width).rounded(.toNearestOrEven)
            offset.y = carriedLength(offset.y, from: input.height, to: size.height).rounded(.toNearestOrEven)
        }
        let angle = parameters.angle, factor = parameters.scale, shear = (x: parameters.shear[0], y: parameters.shear[1])
        let center = self.center, interpolation = self.interpolation, fill = self.fill
        try sample.transformPixels {
            Self.apply($0, angle: angle, translate: offset, scale: factor, shear: shear, center: center,
                       interpolation: interpolation, fill: fill)
        }
    }
}
