import ImageCodec

/// What one timm operation drew for a sample: replayable, and what the policy tests count.
public struct TimmOpDraw: Sendable, Hashable, Codable {
    /// The operation.
    public var operation: TimmOperation
    /// Whether it passed its probability coin.
    public var applied: Bool
    /// The magnitude after noise and clipping.
    public var magnitude: Double
    /// The operation's argument (angle, factor, bits, threshold, …, signed).
    public var argument: Double
    /// The filter of a geometric operation.
    public var interpolation: AffineInterpolation?

    /// Creates a draw.
    /// - Parameters:
    ///   - operation: The operation.
    ///   - applied: Whether it is applied.
    ///   - magnitude: The magnitude.
    ///   - argument: The argument.
    ///   - interpolation: The filter (geometric operations).
    public init(operation: TimmOperation, applied: Bool, magnitude: Double, argument: Double,
                interpolation: AffineInterpolation?) {
        self.operation = operation
        self.applied = applied
        self.magnitude = magnitude
        self.argument = argument
        self.interpolation = interpolation
    }

    /// Applies the draw (nothing when skipped).
    /// - Parameters:
    ///   - image: The input.
    ///   - fill: The fill colour of geometric operations.
    /// - Returns: The transformed image.
    public func apply(to image: Image, fill: [UInt8]) -> Image {
        guard applied else { return image }
        return operation.apply(to: image, argument: argument, interpolation: interpolation ?? .bicubic, fill: fill)
    }
}

/// The draws of a policy made of timm operations, in application order.
public struct TimmPolicyDraw: Sendable, Hashable, Codable {
    /// The chosen operations (skipped ones included, with `applied` false).
    public var operations: [TimmOpDraw]

    /// Creates the record.
    /// - Parameter operations: The draws.
    public init(operations: [TimmOpDraw]) { self.operations = operations }
}
