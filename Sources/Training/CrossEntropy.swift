import Foundation

/// What a batch's images should be classified as.
public enum Targets: Sendable {
    /// One class index per image.
    case labels([Int32])
    /// A probability row of `classes` values per image (Mixup/CutMix targets), row-major.
    case distributions([Float])

    /// The number of images the targets cover.
    /// - Parameter classes: Values per distribution row.
    /// - Returns: The count.
    func count(classes: Int) -> Int {
        switch self {
        case .labels(let labels): return labels.count
        case .distributions(let rows): return rows.count / max(1, classes)
        }
    }
}

/// Softmax cross-entropy with label smoothing, as PyTorch's `nn.CrossEntropyLoss(label_smoothing: ε)` with mean
/// reduction: the target becomes (1 − ε) · target + ε / classes; the loss of an image is −Σ target · log softmax.
public struct SoftmaxCrossEntropy: Sendable, Hashable {
    /// ε, in [0, 1].
    public var labelSmoothing: Float

    /// Creates the loss.
    /// - Parameter labelSmoothing: ε (default 0).
    public init(labelSmoothing: Float = 0) {
        self.labelSmoothing = labelSmoothing
    }

    /// The summed loss of `images` rows of logits and its gradient, d(mean loss over `batchSize`) / d logits.
    /// - Parameters:
    ///   - logits: `images` × `classes` values.
    ///   - images: Rows.
    ///   - classes: Classes.
    ///   - targets: The whole batch's targets.
    ///   - first: The batch position of the first row.
    ///   - batchSize: The divisor of the mean.
    ///   - gradient: Receives `images` × `classes` values.
    /// - Returns: The sum of the rows' losses (in double) and how many rows' largest logit is the target's class.
    func evaluate(logits: UnsafePointer<Float>, images: Int, classes: Int, targets: Targets, first: Int, batchSize: Int,
                  gradient: UnsafeMutablePointer<Float>) -> (loss: Double, correct: Int) {
        var total = 0.0, correct = 0
        var target = [Float](repeating: 0, count: classes), probability = [Double](repeating: 0, count: classes)
        let smoothing = labelSmoothing, scale = 1 / Float(batchSize)
        for row in 0..<images {
            let z = logits + row * classes, sample = first + row
            switch targets {
            case .labels(let labels):
                for c in 0..<classes { target[c] = smoothing / Float(classes) }
                target[Int(labels[sample])] += 1 - smoothing
            case .distributions(let rows):
                for c in 0..<classes { target[c] = (1 - smoothing) * rows[sample * classes + c] + smoothing / Float(classes) }
            }
            var largest = z[0], argmax = 0
            for c in 1..<classes where z[c] > largest { (largest, argmax) = (z[c], c) }
            var sum = 0.0
            for c in 0..<classes {
                probability[c] = exp(Double(z[c] - largest))
                sum += probability[c]
            }
            let logSum = log(sum)
            var best = 0
            for c in 0..<classes {
                let logProbability = Double(z[c] - largest) - logSum
                total -= Double(target[c]) * logProbability
                gradient[row * classes + c] = (Float(probability[c] / sum) - target[c]) * scale
                if target[c] > target[best] { best = c }
            }
            if argmax == best { correct += 1 }
        }
        return (total, correct)
    }
}
