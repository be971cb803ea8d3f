import Augment

/// A rectangle of a CutMix paste, in pixels: rows `top..<bottom`, columns `left..<right` (may be empty).
public struct MixBox: Sendable, Hashable, Codable {
    /// First row.
    public var top: Int
    /// One past the last row.
    public var bottom: Int
    /// First column.
    public var left: Int
    /// One past the last column.
    public var right: Int

    /// Creates a box.
    /// - Parameters:
    ///   - top: First row.
    ///   - bottom: One past the last row.
    ///   - left: First column.
    ///   - right: One past the last column.
    public init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
    }

    /// The number of pixels inside.
    public var area: Int { max(0, bottom - top) * max(0, right - left) }
}

/// How one sample of a batch was mixed.
public struct SampleMix: Sendable, Hashable, Codable {
    /// The weight of the sample's own image and label (1 = unmixed). After CutMix with lambda correction, the share
    /// of the image that is still its own.
    public var lambda: Double
    /// The index of the partner sample (`count − 1 − index`, timm's flipped batch).
    public var partner: Int
    /// The pasted box for CutMix, `nil` for Mixup or an unmixed sample.
    public var box: MixBox?

    /// Creates a record.
    /// - Parameters:
    ///   - lambda: The sample's own weight.
    ///   - partner: The partner's index.
    ///   - box: The CutMix box, if any.
    public init(lambda: Double, partner: Int, box: MixBox? = nil) {
        self.lambda = lambda
        self.partner = partner
        self.box = box
    }
}

/// A batch with soft targets: what `Mixup` (and CutMix) produce for a training loop.
public struct MixedBatch: Sendable {
    /// The batch; its images are mixed in place.
    public var batch: Batch
    /// The number of classes (the width of a target row).
    public let classes: Int
    /// Soft targets, `batch.count × classes`, row-major.
    public var targets: [Float]
    /// How each sample was mixed.
    public var mixes: [SampleMix]

    /// Wraps a batch with (label-smoothed) one-hot targets and no mixing.
    /// - Parameters:
    ///   - batch: The batch; every label must be in `0..<classes`.
    ///   - classes: The number of classes.
    ///   - labelSmoothing: The smoothing `s`: off-target `s / classes`, on-target `1 − s + s / classes`.
    /// - Throws: `AugmentError` naming the sample whose label is missing or out of range.
    public init(_ batch: Batch, classes: Int, labelSmoothing: Double = 0) throws(AugmentError) {
        guard classes >= 1 else {
            throw AugmentError(operation: "mixup", key: "batch \(batch.index)", message: "classes must be ≥ 1, got \(classes)")
        }
        self.batch = batch
        self.classes = classes
        self.mixes = (0..<batch.count).map { SampleMix(lambda: 1, partner: batch.count - 1 - $0) }
        self.targets = []
        try setTargets(labelSmoothing: labelSmoothing)
    }

    /// Recomputes the targets from the labels and `mixes`: `λ·onehot(y) + (1 − λ)·onehot(y_partner)`, each one-hot
    /// label-smoothed (timm's `mixup_target`).
    /// - Parameter labelSmoothing: The smoothing.
    /// - Throws: `AugmentError` naming the sample whose label is missing or out of range.
    public mutating func setTargets(labelSmoothing: Double) throws(AugmentError) {
        let off = Float(labelSmoothing / Double(classes)), on = Float(1 - labelSmoothing + labelSmoothing / Double(classes))
        for (slot, label) in batch.labels.enumerated() where label < 0 || Int(label) >= classes {
            throw AugmentError(operation: "mixup", key: batch.keys[slot],
                               message: "label \(label) is not a class index in 0..<\(classes)")
        }
        var targets = [Float](repeating: 0, count: batch.count * classes)
        for slot in 0..<batch.count {
            let mix = mixes[slot]
            let lambda = Float(mix.lambda)
            let own = Int(batch.labels[slot]), other = Int(batch.labels[mix.partner])
            for column in 0..<classes {
                let first = column == own ? on : off, second = column == other ? on : off
                targets[slot * classes + column] = first * lambda + second * (1 - lambda)
            }
        }
        self.targets = targets
    }

    /// One sample's target row.
    /// - Parameter slot: The sample's index.
    /// - Returns: `classes` probabilities.
    public func target(_ slot: Int) -> ArraySlice<Float> { targets[(slot * classes)..<((slot + 1) * classes)] }
}
