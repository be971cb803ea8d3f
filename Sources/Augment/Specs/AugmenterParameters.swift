import ImageCodec

/// The `key=value` parameters of one operation in a pipeline spec, with typed readers whose errors name the
/// operation, the parameter and the offending value.
///
/// Value syntax: integers (`224`), numbers (`0.5`, `3/4`), ranges `low:high` (`0.08:1`, `3/4:4/3`),
/// sizes `N` (square) or `WxH` (`256x192`), filter names (`bilinear`, …).
///
/// Every numeric reader takes the bounds its parameter documents and refuses values outside them when the spec is
/// parsed; numbers must be finite (`nan`, `inf`, `1e999`, `1/0` are refused everywhere), and sizes must fit
/// `AugmentLimits.maxPixels`.
public struct AugmenterParameters: Sendable, Hashable {
    /// The operation's registered name, used in errors.
    public let operation: String
    /// The raw values, by parameter name.
    public let values: [String: String]

    /// Creates a parameter set.
    /// - Parameters:
    ///   - operation: The operation's name.
    ///   - values: The raw values.
    public init(operation: String, values: [String: String]) {
        self.operation = operation
        self.values = values
    }

    /// The error for a bad value.
    /// - Parameters:
    ///   - name: The parameter.
    ///   - expectation: What was expected.
    /// - Returns: An error naming the operation, the parameter and the value.
    public func invalid(_ name: String, _ expectation: String) -> AugmentError {
        AugmentError(operation: operation, key: PipelineSpec.errorKey,
                     message: "parameter '\(name)' = '\(values[name] ?? "")': expected \(expectation)")
    }

    /// An integer parameter within bounds. Every registration states the bound it documents, so no value can reach
    /// an operation's arithmetic or allocations unchecked.
    /// - Parameters:
    ///   - name: The parameter.
    ///   - fallback: The value when absent (`nil` makes the parameter required; not checked against `bounds`).
    ///   - bounds: The allowed values.
    /// - Returns: The value.
    /// - Throws: `AugmentError` when missing, not an integer (including one too large for `Int`), or out of bounds.
    public func int(_ name: String, default fallback: Int? = nil, in bounds: ClosedRange<Int>) throws(AugmentError) -> Int {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw AugmentError(operation: operation, key: PipelineSpec.errorKey, message: "missing parameter '\(name)'")
        }
        guard let value = Int(text), bounds.contains(value) else {
            throw invalid(name, "an integer in \(bounds.lowerBound)...\(bounds.upperBound)")
        }
        return value
    }

    /// An optional integer parameter within bounds.
    /// - Parameters:
    ///   - name: The parameter.
    ///   - bounds: The allowed values.
    /// - Returns: The value, or `nil` when absent.
    /// - Throws: `AugmentError` when present but not an integer in `bounds`.
    public func optionalInt(_ name: String, in bounds: ClosedRange<Int>) throws(AugmentError) -> Int? {
        values[name] == nil ? nil : try int(name, in: bounds)
    }

    /// A number parameter (decimal or `a/b`) within bounds; non-finite values (`nan`, `inf`, `1e999`, `1/0`) are
    /// always refused.
    /// - Parameters:
    ///   - name: The parameter.
    ///   - fallback: The value when absent (`nil` makes the parameter required; not checked against `bounds`).
    ///   - bounds: The allowed values.
    /// - Returns: The value.
    /// - Throws: `AugmentError` when missing, not a finite number, or out of bounds.
    public func double(_ name: String, default fallback: Double? = nil, in bounds: ClosedRange<Double>)
        throws(AugmentError) -> Double {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw AugmentError(operation: operation, key: PipelineSpec.errorKey, message: "missing parameter '\(name)'")
        }
        guard let value = Self.number(text), bounds.contains(value) else {
            throw invalid(name, "a number in \(bounds.lowerBound)...\(bounds.upperBound)")
        }
        return value
    }

    /// An optional number parameter within bounds.
    /// - Parameters:
    ///   - name: The parameter.
    ///   - bounds: The allowed values.
    /// - Returns: The value, or `nil` when absent.
    /// - Throws: `AugmentError` when present but not a finite number in `bounds`.
    public func optionalDouble(_ name: String, in bounds: ClosedRange<Double>) throws(AugmentError) -> Double? {
        values[name] == nil ? nil : try double(name, in: bounds)
    }

    /// A range parameter `low:high` (a single number means `low = high`) within bounds.
    /// - Parameters:
    ///   - name: The parameter.
    ///   - fallback: The value when absent (not checked against `bounds`).
    ///   - bounds: The interval both ends must lie in.
    ///   - positive: Whether both ends must also be > 0 (for bounds that start at 0).
    /// - Returns: The range.
    /// - Throws: `AugmentError` when malformed, reversed, not finite, outside `bounds`, or not positive when required.
    public func range(_ name: String, default fallback: ClosedRange<Double>, in bounds: ClosedRange<Double>,
                      positive: Bool = false) throws(AugmentError) -> ClosedRange<Double> {
        guard let text = values[name] else { return fallback }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let numbers = parts.compactMap(Self.number)
        guard parts.count <= 2, numbers.count == parts.count, let low = numbers.first, let high = numbers.last,
              low <= high, bounds.contains(low), bounds.contains(high), !positive || low > 0 else {
            throw invalid(name, (positive ? "'low:high' with 0 < low ≤ high" : "'low:high' with low ≤ high")
                          + " within \(bounds.lowerBound)...\(bounds.upperBound)")
        }
        return low...high
    }

    /// A size parameter: `N` for N×N or `WxH`, with both sides in 1…`AugmentLimits.maxSide` and at most
    /// `AugmentLimits.maxPixels` pixels (so an operation producing it stays within the decoder's limit).
    /// - Parameters:
    ///   - name: The parameter.
    ///   - fallback: The value when absent (`nil` makes the parameter required; not checked).
    /// - Returns: The size.
    /// - Throws: `AugmentError` when missing, malformed, or outside the limits.
    public func size(_ name: String, default fallback: PixelSize? = nil) throws(AugmentError) -> PixelSize {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw AugmentError(operation: operation, key: PipelineSpec.errorKey, message: "missing parameter '\(name)'")
        }
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), let width = parts.first ?? nil, let height = parts.last ?? nil,
              AugmentLimits.allowsSize(width: width, height: height) else {
            throw invalid(name, Self.sizeExpectation)
        }
        return PixelSize(width: width, height: height)
    }

    /// What `size(_:default:)` accepts, for error messages.
    static let sizeExpectation = "a size 'N' or 'WxH' with W, H in 1...\(AugmentLimits.maxSide) "
        + "and W×H ≤ \(AugmentLimits.maxPixels) pixels"

    /// A resampling filter parameter.
    /// - Parameters:
    ///   - name: The parameter.
    ///   - fallback: The value when absent.
    /// - Returns: The filter.
    /// - Throws: `AugmentError` for an unknown filter name.
    public func filter(_ name: String, default fallback: ResampleFilter) throws(AugmentError) -> ResampleFilter {
        guard let text = values[name] else { return fallback }
        guard let filter = ResampleFilter.named(text) else {
            throw invalid(name, "one of \(ResampleFilter.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return filter
    }

    /// Parses a decimal number or a fraction `a/b`; `nil` unless the value is finite.
    static func number(_ text: String) -> Double? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let numerator = Double(parts[0]), let denominator = Double(parts[1]), denominator != 0 {
            let value = numerator / denominator
            return value.isFinite ? value : nil
        }
        guard parts.count == 1, let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
