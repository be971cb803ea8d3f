import ImageCodec

/// The draw shared by the point operations: `rng.chance(p)`, then (for leveled ones) an integer level.
private func drawLevel(p: Double, levels: ClosedRange<Int>?, using rng: inout SampleRNG) -> LevelParameters {
    guard rng.chance(p) else { return LevelParameters(applied: false) }
    return LevelParameters(applied: true, level: levels.map { Double(rng.draw($0)) })
}

/// The recorded integer level of an applied operation, or `nil` when it did not apply.
private func appliedLevel(_ parameters: LevelParameters) -> Int? {
    guard parameters.applied, let level = parameters.level, level.isFinite, abs(level) <= 1_048_576 else { return nil }
    return Int(level.rounded())
}

extension AutoContrast: ReplayableAugmenter {
    /// `autocontrast`.
    public var operationName: String { "autocontrast" }
    /// Draws whether to apply.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters {
        drawLevel(p: p, levels: nil, using: &rng)
    }
    /// Autocontrasts when applied.
    /// - Parameters:
    ///   - parameters: `{applied}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        guard parameters.applied else { return }
        try sample.transformPixels { $0.autocontrasted() }
    }
}

extension Equalize: ReplayableAugmenter {
    /// `equalize`.
    public var operationName: String { "equalize" }
    /// Draws whether to apply.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters {
        drawLevel(p: p, levels: nil, using: &rng)
    }
    /// Equalizes when applied.
    /// - Parameters:
    ///   - parameters: `{applied}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        guard parameters.applied else { return }
        try sample.transformPixels { $0.equalized() }
    }
}

extension Invert: ReplayableAugmenter {
    /// `invert`.
    public var operationName: String { "invert" }
    /// Draws whether to apply.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters {
        drawLevel(p: p, levels: nil, using: &rng)
    }
    /// Inverts when applied.
    /// - Parameters:
    ///   - parameters: `{applied}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        guard parameters.applied else { return }
        try sample.transformPixels { $0.inverted() }
    }
}

extension Posterize: ReplayableAugmenter {
    /// `posterize`.
    public var operationName: String { "posterize" }
    /// Draws whether to apply and the bits kept.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied, level: bits}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters {
        drawLevel(p: p, levels: bits, using: &rng)
    }
    /// Posterizes to the recorded bits.
    /// - Parameters:
    ///   - parameters: `{applied, level}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        guard let kept = appliedLevel(parameters) else { return }
        let bits = min(max(kept, 0), 8)
        try sample.transformPixels { $0.posterized(bits: bits) }
    }
}

extension Solarize: ReplayableAugmenter {
    /// `solarize`.
    public var operationName: String { "solarize" }
    /// Draws whether to apply and the threshold.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied, level: threshold}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters {
        drawLevel(p: p, levels: threshold, using: &rng)
    }
    /// Solarizes at the recorded threshold.
    /// - Parameters:
    ///   - parameters: `{applied, level}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        guard let value = appliedLevel(parameters) else { return }
        try sample.transformPixels { $0.solarized(threshold: value) }
    }
}

extension SolarizeAdd: ReplayableAugmenter {
    /// `solarize_add`.
    public var operationName: String { "solarize_add" }
    /// Draws whether to apply and the addend.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied, level: addend}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters {
        drawLevel(p: p, levels: addition, using: &rng)
    }
    /// Adds the recorded addend below the threshold.
    /// - Parameters:
    ///   - parameters: `{applied, level}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        guard let value = appliedLevel(parameters) else { return }
        try sample.transformPixels { $0.solarizedAdding(value, threshold: threshold) }
    }
}

extension Grayscale: ReplayableAugmenter {
    /// `grayscale`.
    public var operationName: String { "grayscale" }
    /// Draws whether to apply.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters {
        drawLevel(p: p, levels: nil, using: &rng)
    }
    /// Converts to grayscale when applied.
    /// - Parameters:
    ///   - parameters: `{applied}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        guard parameters.applied else { return }
        let channels = outputChannels
        try sample.transformPixels { $0.grayscale(outputChannels: channels ?? $0.channels) }
    }
}
