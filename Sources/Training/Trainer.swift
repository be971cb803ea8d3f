import Dispatch

/// What one optimiser step measured.
public struct StepResult: Sendable, Hashable {
    /// The batch's mean loss.
    public var loss: Double
    /// Images whose largest logit was the target's (most likely) class.
    public var correct: Int
    /// Images in the batch.
    public var count: Int
    /// The learning rate the step used.
    public var learningRate: Double
}

/// Mini-batch training of a `Classifier`: forward and backward over fixed chunks of `Classifier.chunkImages` images on
/// worker threads, each chunk's gradients in its own buffers, summed in chunk order; then AdamW with the schedule's
/// learning rate. The same seed, batches and settings give the same parameters bit for bit whatever `threads` is.
/// For data-parallel training over ranks, call `computeGradients`, average `Parameter.gradient` across ranks, then
/// `applyGradients`.
public final class Trainer: @unchecked Sendable {
    /// The model being trained.
    public let classifier: Classifier
    /// The optimiser.
    public private(set) var optimizer: AdamW
    /// The learning-rate schedule.
    public let schedule: any LearningRateSchedule
    /// The loss.
    public let loss: SoftmaxCrossEntropy
    /// Worker threads.
    public let threads: Int
    /// The seed of dropout masks.
    public let seed: UInt64
    private var workspaces: [ChunkWorkspace] = []
    private var floats: [Float] = []

    /// Creates a trainer.
    /// - Parameters:
    ///   - classifier: The model.
    ///   - optimizer: AdamW's settings.
    ///   - schedule: The learning rate per step.
    ///   - loss: The loss (label smoothing).
    ///   - threads: Worker threads (results do not depend on it).
    ///   - seed: Dropout's seed.
    /// - Throws: `.invalidSettings` for optimiser settings PyTorch refuses.
    public init(classifier: Classifier, optimizer: AdamW, schedule: any LearningRateSchedule, loss: SoftmaxCrossEntropy = .init(),
                threads: Int = 1, seed: UInt64 = 0) throws(TrainingError) {
        try optimizer.validate()
        guard (0...1).contains(loss.labelSmoothing) else {
            throw TrainingError(.invalidSettings, "label smoothing \(loss.labelSmoothing) is outside [0, 1]")
        }
        self.classifier = classifier
        self.optimizer = optimizer
        self.schedule = schedule
        self.loss = loss
        self.threads = max(1, threads)
        self.seed = seed
    }

    /// The optimiser steps taken.
    public var steps: Int { optimizer.steps }

    /// One optimiser step on a batch of normalised floats (channels-last: the loader's `.float32NHWC`).
    /// - Parameters:
    ///   - images: `count` × `classifier.inputCount` values.
    ///   - targets: Labels or distributions.
    /// - Returns: The batch's loss and accuracy.
    /// - Throws: `.invalidInput` when sizes or labels do not fit.
    @discardableResult
    public func step(images: UnsafeBufferPointer<Float>, targets: Targets) throws(TrainingError) -> StepResult {
        var result = try computeGradients(images: images, targets: targets)
        result.learningRate = applyGradients()
        return result
    }

    /// One optimiser step on a batch of bytes (the loader's `.uint8NHWC`), normalised as the classifier says.
    /// - Parameters:
    ///   - bytes: `count` × `classifier.inputCount` bytes.
    ///   - targets: Labels or distributions.
    /// - Returns: The batch's loss and accuracy.
    /// - Throws: `.invalidInput` when sizes or labels do not fit.
    @discardableResult
    public func step(bytes: UnsafeBufferPointer<UInt8>, targets: Targets) throws(TrainingError) -> StepResult {
        let values = classifier.normalization.apply(bytes, channels: classifier.architecture.inputChannels, count: bytes.count)
        return try values.withUnsafeBufferPointer { (buffer) throws(TrainingError) in try step(images: buffer, targets: targets) }
    }

    /// Computes every parameter's `gradient` (of the batch's mean loss) without changing the parameters.
    /// - Parameters:
    ///   - images: `count` × `classifier.inputCount` normalised floats.
    ///   - targets: Labels or distributions.
    /// - Returns: The batch's loss and accuracy (learning rate 0 until applied).
    /// - Throws: `.invalidInput` when sizes or labels do not fit.
    public func computeGradients(images: UnsafeBufferPointer<Float>, targets: Targets) throws(TrainingError) -> StepResult {
        let classes = classifier.classes, count = targets.count(classes: classes), perImage = classifier.inputCount
        guard count > 0, images.count == count * perImage else {
            throw TrainingError(.invalidInput, "\(images.count) values for \(count) targets of \(perImage)-value images")
        }
        switch targets {
        case .labels(let labels):
            if let bad = labels.first(where: { $0 < 0 || Int($0) >= classes }) {
                throw TrainingError(.invalidInput, "label \(bad) outside the classifier's \(classes) classes")
            }
        case .distributions(let rows):
            guard rows.count == count * classes else {
                throw TrainingError(.invalidInput, "\(rows.count) target values for \(count) images of \(classes) classes")
            }
        }
        let chunkCount = (count + Classifier.chunkImages - 1) / Classifier.chunkImages
        while workspaces.count < chunkCount { workspaces.append(classifier.makeWorkspace()) }
        let workers = min(threads, chunkCount), workspaces = self.workspaces
        let losses = LossSlots(count: chunkCount)
        let step = optimizer.steps, seed = self.seed, loss = self.loss, classifier = self.classifier
        let source = UncheckedPointer(UnsafeMutablePointer(mutating: images.baseAddress!))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for chunk in stride(from: worker, to: chunkCount, by: workers) {
                let first = chunk * Classifier.chunkImages, n = min(Classifier.chunkImages, count - first)
                let workspace = workspaces[chunk], input = UnsafePointer(source.pointer + first * perImage)
                workspace.clearGradients()
                let context = PassContext(training: true, seed: seed, step: step, firstSample: first)
                let logits = classifier.forward(input, images: n, workspace: workspace, context: context)
                let measured = loss.evaluate(logits: logits, images: n, classes: classes, targets: targets, first: first,
                                             batchSize: count, gradient: workspace.logitsGradient.pointer)
                losses.set(chunk, measured)
                classifier.backward(input, logitsGradient: workspace.logitsGradient.pointer, images: n, workspace: workspace)
            }
        }
        // Chunk gradients summed in chunk order: the same bits whatever the number of workers.
        var offset = 0
        for parameter in classifier.parameters {
            let length = parameter.values.count
            parameter.gradient.withUnsafeMutableBufferPointer { gradient in
                gradient.update(repeating: 0)
                for chunk in 0..<chunkCount {
                    let buffer = workspaces[chunk].gradients.pointer + offset
                    for index in 0..<length { gradient[index] += buffer[index] }
                }
            }
            offset += length
        }
        let totals = losses.values
        return StepResult(loss: totals.reduce(0) { $0 + $1.loss } / Double(count), correct: totals.reduce(0) { $0 + $1.correct },
                          count: count, learningRate: 0)
    }

    /// Applies AdamW to the gradients `computeGradients` left, at the schedule's rate for this step.
    /// - Returns: The learning rate used.
    @discardableResult
    public func applyGradients() -> Double {
        let settings = schedule.settings(at: optimizer.steps)
        optimizer.learningRate = settings.learningRate
        if let beta1 = settings.beta1 { optimizer.beta1 = beta1 }
        optimizer.step(classifier.parameters)
        return settings.learningRate
    }
}

/// Per-chunk results written by concurrent workers into their own slots.
private final class LossSlots: @unchecked Sendable {
    private var slots: [(loss: Double, correct: Int)]
    init(count: Int) { slots = Array(repeating: (0, 0), count: count) }
    func set(_ index: Int, _ value: (loss: Double, correct: Int)) { slots.withUnsafeMutableBufferPointer { $0[index] = value } }
    var values: [(loss: Double, correct: Int)] { slots }
}
