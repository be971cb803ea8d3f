/// A timm augmentation config string (`rand-m9-n2-mstd0.5`, `augmix-m3-w3-d-1`, `v0-mstd0.5`) split into its
/// name and `key value` sections: sections are separated by `-`, each key runs up to its first digit and the value
/// from there (timm's `re.split(r'(\d.*)', section)`); a section without a digit has no value and is skipped, as timm
/// skips it. Extension: a section that is only a number right after a skipped key (`d-1`) is that key's negative
/// value (timm itself rejects `d-1`).
struct TimmConfigString {
    /// The first section (`rand`, `augmix`, `v0`, …).
    let name: String
    /// The `key value` sections, in order.
    let sections: [(key: String, value: String)]
    /// `t…` sections (RandAugment's transform set names).
    let transformSets: [String]

    /// Splits a config string.
    /// - Parameters:
    ///   - text: The config string.
    ///   - allowTransformSets: Whether sections starting with `t` name a transform set (RandAugment).
    init(_ text: String, allowTransformSets: Bool = false) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        name = parts.first ?? ""
        var sections: [(key: String, value: String)] = [], sets: [String] = []
        var pendingKey: String?
        for part in parts.dropFirst() {
            if allowTransformSets && part.hasPrefix("t") {
                sets.append(String(part.dropFirst()))
                pendingKey = nil
                continue
            }
            guard let digit = part.firstIndex(where: \.isNumber) else {
                pendingKey = part
                continue
            }
            let key = String(part[..<digit]), value = String(part[digit...])
            if key.isEmpty, let pending = pendingKey {
                sections.append((pending, "-" + value))
            } else {
                sections.append((key, value))
            }
            pendingKey = nil
        }
        self.sections = sections
        transformSets = sets
    }

    /// The error for a bad section.
    /// - Parameters:
    ///   - operation: The registered operation name.
    ///   - message: What is wrong.
    /// - Returns: An error naming the operation and the `config` parameter.
    static func error(_ operation: String, _ message: String) -> AugmentError {
        AugmentError(operation: operation, key: PipelineSpec.errorKey, message: "parameter 'config': \(message)")
    }

    /// Parses an integer value within bounds.
    /// - Parameters:
    ///   - operation: The registered operation name.
    ///   - key: The section's key.
    ///   - value: The section's value.
    ///   - bounds: The allowed values.
    /// - Returns: The value.
    /// - Throws: `AugmentError` naming the section when it is not an integer in `bounds`.
    static func int(_ operation: String, _ key: String, _ value: String, in bounds: ClosedRange<Int>)
        throws(AugmentError) -> Int {
        guard let number = Int(value), bounds.contains(number) else {
            throw error(operation, "section '\(key)\(value)': expected an integer in \(bounds.lowerBound)...\(bounds.upperBound)")
        }
        return number
    }

    /// Parses a finite number value within bounds.
    /// - Parameters:
    ///   - operation: The registered operation name.
    ///   - key: The section's key.
    ///   - value: The section's value.
    ///   - bounds: The allowed values.
    /// - Returns: The value.
    /// - Throws: `AugmentError` naming the section when it is not a finite number in `bounds`.
    static func double(_ operation: String, _ key: String, _ value: String, in bounds: ClosedRange<Double>)
        throws(AugmentError) -> Double {
        guard let number = Double(value), number.isFinite, bounds.contains(number) else {
            throw error(operation, "section '\(key)\(value)': expected a number in \(bounds.lowerBound)...\(bounds.upperBound)")
        }
        return number
    }

    /// timm magnitudes (`m`, and the clip `mmax`): ten times timm's scale of 0…10.
    static let magnitudeBounds = 0...100
    /// Operations per image (`n`) and AugMix chains (`w`) and depth (`d`).
    static let countBounds = 0...100
    /// The magnitude noise `mstd` (above 100 it means a uniform draw, as in timm).
    static let deviationBounds = 0.0...1000.0
}
