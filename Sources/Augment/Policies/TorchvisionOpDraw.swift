import ImageCodec

/// What one torchvision operation drew for a sample.
public struct TorchvisionOpDraw: Sendable, Hashable, Codable {
    /// The operation.
    public var operation: TorchvisionOperation
    /// Whether it passed its probability coin (AutoAugment; always true for RandAugment and TrivialAugmentWide).
    public var applied: Bool
    /// The signed magnitude.
    public var magnitude: Double

    /// Creates a draw.
    /// - Parameters:
    ///   - operation: The operation.
    ///   - applied: Whether it is applied.
    ///   - magnitude: The signed magnitude.
    public init(operation: TorchvisionOperation, applied: Bool = true, magnitude: Double) {
        self.operation = operation
        self.applied = applied
        self.magnitude = magnitude
    }
}

/// The draws of a torchvision policy, in application order.
public struct TorchvisionPolicyDraw: Sendable, Hashable, Codable {
    /// The chosen operations.
    public var operations: [TorchvisionOpDraw]

    /// Creates the record.
    /// - Parameter operations: The draws.
    public init(operations: [TorchvisionOpDraw]) { self.operations = operations }

    /// Applies the applied operations in order.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - interpolation: The filter.
    ///   - fill: The fill colour.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    func apply(to sample: inout Sample, interpolation: AffineInterpolation, fill: [UInt8]) throws(AugmentError) {
        let active = operations.filter { $0.applied && $0.operation != .identity }
        guard !active.isEmpty else { return }
        try sample.transformPixels { image in
            active.reduce(image) { $1.operation.apply(to: $0, magnitude: $1.magnitude, interpolation: interpolation, fill: fill) }
        }
    }
}
