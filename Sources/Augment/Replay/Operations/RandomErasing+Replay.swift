import ImageCodec

extension RandomErasing: ReplayableAugmenter {
    /// `random_erasing`.
    public var operationName: String { "random_erasing" }

    /// Draws the rectangles and, in the `rand`/`pixel` modes, notes where the noise begins and consumes it as
    /// `augment(_:using:)` does (which decodes a copy of the image to learn its channel count; `record` avoids that).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: `{regions, input, noise}`.
    /// - Throws: `AugmentError` when the image cannot be read.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> ErasingParameters {
        var copy = sample
        return try erasingRecord(&copy, using: &rng)
    }

    /// Erases the recorded rectangles. On an image of another size each rectangle is carried in relative form
    /// (`PixelRegion.carried(from:to:)`) and then moved inside the image; the noise is redrawn from the recorded state.
    /// - Parameters:
    ///   - parameters: The recorded rectangles.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when a random mode's record has no valid `noise`, or decoding fails.
    public func apply(_ parameters: ErasingParameters, to sample: inout Sample) throws(AugmentError) {
        guard !parameters.regions.isEmpty else { return }
        let size = try sample.imageSize()
        let rectangles = parameters.regions.map {
            $0.carried(from: parameters.input ?? size, to: size).clamped(inside: size)
        }
        var noise = SampleRNG(seed: 0, epoch: 0, position: 0)
        if mode != .const {
            guard let text = parameters.noise, let state = SampleRNG(state: text) else {
                throw AugmentError(operation: operationName, key: sample.key, source: sample.source,
                                   message: "mode \(mode.rawValue) needs the record's 'noise' state (64 hex digits)")
            }
            noise = state
        }
        try erase(rectangles, in: &sample, noise: &noise)
    }

    /// Erases and records in one pass (no second decode).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: `{"op": "random_erasing", "parameters": {regions, input, noise}}`.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func record(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) -> ReplayRecord {
        let parameters = try erasingRecord(&sample, using: &rng)
        return ReplayRecord(operation: operationName, parameters: try JSONValue.encoding(parameters))
    }

    /// Draws the rectangles, erases them from `sample` and returns what was drawn.
    private func erasingRecord(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) -> ErasingParameters {
        let size = try sample.imageSize()
        let rectangles = regions(width: size.width, height: size.height, using: &rng)
        guard !rectangles.isEmpty else { return ErasingParameters(regions: [], input: size, noise: nil) }
        let noise = mode == .const ? nil : rng.state
        try erase(rectangles, in: &sample, noise: &rng)
        return ErasingParameters(regions: rectangles, input: size, noise: noise)
    }
}
