import Augment
import Foundation
import ImageCodec
import Loader
import SGID
import Training

/// The classifier recipe of `sgid train` and the demo (the project's Fashion-MNIST experiment: AdamW with one-cycle
/// to `maxLearningRate`, batch 64, label smoothing off, 32/64/128 channels, dropout 0.3).
struct ClassifierRecipe: Sendable, Codable, Hashable {
    var epochs = 60
    var batchSize = 64
    var maxLearningRate = 3e-3
    var weightDecay = 5e-4
    var labelSmoothing: Float = 0
    var dropout = 0.3
    var channels = [32, 64, 128]
    /// `onecycle` or `cosine`.
    var schedule = "onecycle"
    var seed: UInt64 = 0
    var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Gray (one channel, Fashion-MNIST's statistics) or RGB (ImageNet's).
    var color = ColorMode.gray

    /// The input normalisation of the colour mode.
    var normalization: InputNormalization {
        color == .gray ? .fashionMNIST : InputNormalization(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    }
}

/// One epoch's numbers.
struct EpochReport: Sendable, Codable {
    var epoch: Int
    var loss: Double
    var trainAccuracy: Double
    var learningRate: Double
    var seconds: Double
    var sgid: SGIDStatistics.Counts?
}

/// Accuracy of a classifier on a dataset.
struct Evaluation: Sendable, Codable {
    var accuracy: Double
    var correct: Int
    var count: Int
    /// Correct and total per class.
    var perClass: [[Int]]
}

/// Trains and evaluates a `Training.Classifier` with batches straight from the `DataLoader` (normalised Float32,
/// channels-last), deterministic per seed.
enum ClassifierTraining {
    /// The number of samples of a dataset (counted once for shards).
    static func count(_ dataset: Dataset) throws -> Int {
        if let known = dataset.knownCount { return known }
        var count = 0
        try dataset.forEachSample { result in
            if case .failure(let error) = result { throw CommandFailure(error.description) }
            count += 1
            return true
        }
        return count
    }

    /// Trains a classifier.
    /// - Parameters:
    ///   - dataset: The training set.
    ///   - pipeline: Its augmentation.
    ///   - recipe: The recipe.
    ///   - classNames: The classes.
    ///   - statistics: The SGID augmenter's counts, reported per epoch.
    ///   - observe: Sees every batch before its step (epoch, batch): what the classifier trained on.
    ///   - report: Called after each epoch.
    /// - Returns: The trained classifier.
    static func train(_ dataset: Dataset, pipeline: Pipeline, recipe: ClassifierRecipe, classNames: [String],
                      statistics: SGIDStatistics?, observe: (Int, Batch) -> Void = { _, _ in },
                      report: (EpochReport) -> Void) throws -> Classifier {
        let samples = try count(dataset)
        guard samples > 0 else { throw CommandFailure("the training set is empty") }
        let normalization = Normalization(mean: recipe.normalization.mean, std: recipe.normalization.std)
        var configuration = LoaderConfiguration(batchSize: recipe.batchSize, output: .float32NHWC(normalization), seed: recipe.seed)
        configuration.threads = recipe.threads
        configuration.colorMode = recipe.color
        let loader = try DataLoader(dataset: dataset, pipeline: pipeline, configuration: configuration)
        let stepsPerEpoch = (samples + recipe.batchSize - 1) / recipe.batchSize, total = stepsPerEpoch * recipe.epochs
        let schedule: any LearningRateSchedule = recipe.schedule == "cosine"
            ? CosineSchedule(learningRate: recipe.maxLearningRate, totalSteps: total, warmupSteps: stepsPerEpoch)
            : OneCycleSchedule(maxLearningRate: recipe.maxLearningRate, totalSteps: total)
        var classifier: Classifier?, trainer: Trainer?
        _ = statistics?.snapshotAndReset()
        for epoch in 0..<recipe.epochs {
            let start = Date()
            var lossSum = 0.0, correct = 0, seen = 0, rate = 0.0
            let iterator = try loader.epoch(epoch)
            while let batch = try iterator.next() {
                if trainer == nil {
                    let architecture = ClassifierArchitecture(
                        inputChannels: batch.channels, height: batch.height, width: batch.width,
                        layers: ClassifierArchitecture.fashion(channels: recipe.channels, dropout: recipe.dropout,
                                                               classes: classNames.count).layers)
                    let model = try Classifier(architecture: architecture, normalization: recipe.normalization,
                                               classNames: classNames, seed: recipe.seed)
                    classifier = model
                    trainer = try Trainer(classifier: model, optimizer: AdamW(weightDecay: recipe.weightDecay), schedule: schedule,
                                          loss: SoftmaxCrossEntropy(labelSmoothing: recipe.labelSmoothing),
                                          threads: recipe.threads, seed: recipe.seed)
                }
                observe(epoch, batch)
                let targets: Targets = batch.targets.map { .distributions($0) } ?? .labels(batch.labels)
                let result = try batch.withFloatImages { try trainer!.step(images: $0, targets: targets) }
                lossSum += result.loss * Double(result.count)
                correct += result.correct
                seen += result.count
                rate = result.learningRate
            }
            report(EpochReport(epoch: epoch, loss: lossSum / Double(max(1, seen)), trainAccuracy: Double(correct) / Double(max(1, seen)),
                               learningRate: rate, seconds: Date().timeIntervalSince(start), sgid: statistics?.snapshotAndReset()))
        }
        guard let classifier else { throw CommandFailure("no batch came out of the training set") }
        return classifier
    }

    /// The classifier's class index of each of a dataset's classes, matched by name (`T-shirt/top` and its ImageFolder
    /// directory name `T-shirt_top` are the same class): an ImageFolder sorts its classes, shards keep the label order.
    /// - Returns: The map, or `nil` (labels used as they are) when either side has no names or they are the same.
    static func classIndices(of datasetClasses: [String], in modelClasses: [String]) throws -> [Int]? {
        guard !datasetClasses.isEmpty, !modelClasses.isEmpty, datasetClasses != modelClasses else { return nil }
        let canonical = { (name: String) in name.replacingOccurrences(of: "/", with: "_") }
        let index = Dictionary(modelClasses.enumerated().map { (canonical($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })
        return try datasetClasses.map { name in
            guard let found = index[canonical(name)] else {
                throw CommandFailure("the dataset's class '\(name)' is not one of the model's: " + modelClasses.joined(separator: ", "))
            }
            return found
        }
    }

    /// Top-1 accuracy on a dataset, in canonical order, no augmentation; the dataset's labels are matched to the
    /// classifier's classes by name. `perClass` is indexed by the classifier's classes.
    /// - Parameters:
    ///   - classifier: The model.
    ///   - dataset: The evaluation set.
    ///   - threads: Worker threads.
    /// - Returns: The accuracy, overall and per class.
    static func evaluate(_ classifier: Classifier, on dataset: Dataset, threads: Int) throws -> Evaluation {
        let labelMap = try classIndices(of: dataset.classNames, in: classifier.classNames)
        let normalization = Normalization(mean: classifier.normalization.mean, std: classifier.normalization.std)
        var configuration = LoaderConfiguration(batchSize: 256, output: .float32NHWC(normalization))
        configuration.shuffle = false
        configuration.threads = threads
        configuration.colorMode = classifier.architecture.inputChannels == 1 ? .gray : .rgb
        let loader = try DataLoader(dataset: dataset, configuration: configuration)
        let classes = classifier.classes
        var perClass = [[Int]](repeating: [0, 0], count: classes), correct = 0, count = 0
        let iterator = try loader.epoch(0)
        while let batch = try iterator.next() {
            let logits = try batch.withFloatImages { try classifier.logits($0, count: batch.count, threads: threads) }
            for row in 0..<batch.count {
                let datasetLabel = Int(batch.labels[row])
                let label = labelMap.map { datasetLabel < $0.count ? $0[datasetLabel] : -1 } ?? datasetLabel
                guard (0..<classes).contains(label) else {
                    throw CommandFailure("\(batch.keys[row]): label \(label) is outside the classifier's \(classes) classes")
                }
                var best = 0
                for c in 1..<classes where logits[row * classes + c] > logits[row * classes + best] { best = c }
                perClass[label][1] += 1
                if best == label {
                    perClass[label][0] += 1
                    correct += 1
                }
                count += 1
            }
        }
        return Evaluation(accuracy: Double(correct) / Double(max(1, count)), correct: correct, count: count, perClass: perClass)
    }
}
