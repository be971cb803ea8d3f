import ArgumentParsing
import Augment
import Foundation
import ImageCodec
import GenerationCache
import Loader
import SGID
import Training

/// `sgid train TRAIN --test TEST [--pipeline SPEC] [--cache DIR] …`: trains the project's small convolutional
/// classifier (Sources/Training) on batches straight from the loader, evaluates it, and writes the model and a JSON
/// report. The experiment and demo scripts run it; it is also a complete example of the Training module.
enum TrainCommand: SubCommand {
    static let spec = CommandSpec(
        name: "train",
        synopsis: "train TRAIN [--test SOURCE] [--validation SOURCE] [--pipeline SPEC] [--cache DIR] [--epochs E] [--batch-size B] "
            + "[--max-lr LR] [--weight-decay WD] [--label-smoothing E] [--dropout P] [--channels 32,64,128] [--schedule onecycle|cosine] "
            + "[--seed S] [--threads T] [--out MODEL] [--results FILE]",
        options: [
            .value("test", help: "evaluate on this ImageFolder or shard pattern after training"),
            .value("validation", help: "also evaluate on this set (choose settings on it, never on --test)"),
            .value("pipeline", help: "training augmentation, e.g. 'sgid(p=0.5) | random_crop(size=28, padding=2) | hflip'"),
            .value("cache", help: "SGID cache directory: enables 'sgid(p=…, min_score=…)' in the pipeline"),
            .value("fingerprint", help: "which generations of the cache to use (default: its only fingerprint)"),
            .value("mixup", help: "batch Mixup/CutMix with timm's arguments"),
            .value("epochs", help: "epochs (default 60)"),
            .value("batch-size", help: "images per step (default 64)"),
            .value("max-lr", help: "peak learning rate in 0…10 (default 3e-3)"),
            .value("weight-decay", help: "AdamW's decoupled weight decay in 0…10 (default 5e-4)"),
            .value("label-smoothing", help: "cross-entropy label smoothing in 0…1 (default 0)"),
            .value("dropout", help: "dropout before the linear layer in 0…0.99 (default 0.3)"),
            .value("channels", help: "the three convolutions' widths (default 32,64,128)"),
            .value("color", help: "gray (default: one channel, Fashion-MNIST's mean and std) or rgb (ImageNet's)"),
            .value("schedule", help: "onecycle (default: PyTorch's OneCycleLR) or cosine (one warm-up epoch)"),
            .value("seed", help: "seed of initialisation, order, augmentation and dropout (default 0)"),
            .value("threads", help: "loader and trainer threads (default: cores)"),
            .value("classes", help: "class names, one per line, for shards (default: classes.txt beside the first shard)"),
            .value("out", help: "write the trained model folder here (config.json, model.safetensors)"),
            .value("results", help: "write the report (recipe, epochs, accuracies, timing) as JSON here"),
            .flag("quiet", help: "no per-epoch lines"),
        ],
        positionals: 1...1)
    static let summary = "train the small reference classifier on a dataset with a pipeline (SGID, RandAugment…) and evaluate it"

    struct Report: Codable {
        var train: String
        var pipeline: String
        var recipe: ClassifierRecipe
        var samples: Int
        var epochs: [EpochReport]
        var validation: Evaluation?
        var test: Evaluation?
        var trainSeconds: Double
        var parameters: Int
    }

    static func recipe(_ arguments: ParsedArguments) throws -> ClassifierRecipe {
        var recipe = ClassifierRecipe()
        recipe.epochs = try arguments.integer("epochs", in: 1...100_000) ?? recipe.epochs
        recipe.batchSize = try arguments.integer("batch-size", in: 1...65_536) ?? recipe.batchSize
        recipe.maxLearningRate = try arguments.number("max-lr", in: 0...10) ?? recipe.maxLearningRate
        recipe.weightDecay = try arguments.number("weight-decay", in: 0...10) ?? recipe.weightDecay
        recipe.labelSmoothing = Float(try arguments.number("label-smoothing", in: 0...1) ?? Double(recipe.labelSmoothing))
        recipe.dropout = try arguments.number("dropout", in: 0...0.99) ?? recipe.dropout
        recipe.seed = UInt64(try arguments.integer("seed", in: 0...Int.max) ?? 0)
        recipe.threads = try arguments.integer("threads", in: 1...1024) ?? recipe.threads
        if let text = arguments.value("channels") {
            let widths = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard widths.count >= 1, widths.count == text.split(separator: ",").count, widths.allSatisfy({ (1...4096).contains($0) }) else {
                throw UsageError("--channels expects comma-separated widths in 1...4096, got '\(text)'")
            }
            recipe.channels = widths
        }
        recipe.color = try arguments.value("color", as: "gray or rgb") { ColorMode(rawValue: $0) } ?? .gray
        if let schedule = arguments.value("schedule") {
            guard ["onecycle", "cosine"].contains(schedule) else { throw UsageError("--schedule must be onecycle or cosine, got '\(schedule)'") }
            recipe.schedule = schedule
        }
        return recipe
    }

    static func run(_ arguments: ParsedArguments) throws {
        let recipe = try recipe(arguments)
        let registry = AugmenterRegistry()
        let statistics = SGIDStatistics()
        try CacheArgument.register(arguments, in: registry, statistics: statistics)
        let (pipeline, spec) = try PipelineArgument.parseOptional(arguments, registry: registry)
        let dataset = try Dataset.open(arguments.positionals[0], classNamesFile: arguments.value("classes"))
        let classNames = dataset.classNames
        guard classNames.count >= 2 else {
            throw CommandFailure("\(arguments.positionals[0]): the classifier needs the class names: an ImageFolder, or shards with "
                                 + "--classes FILE or a classes.txt beside them")
        }
        let quiet = arguments.flag("quiet"), usesSGID = arguments.value("cache") != nil
        var epochs: [EpochReport] = []
        let start = Date()
        let classifier = try ClassifierTraining.train(dataset, pipeline: pipeline, recipe: recipe, classNames: classNames,
                                                      statistics: usesSGID ? statistics : nil) { report in
            epochs.append(report)
            guard !quiet else { return }
            var line = String(format: "epoch %d: loss %.4f, train accuracy %.2f%%, lr %.2e, %.1f s", report.epoch, report.loss,
                              report.trainAccuracy * 100, report.learningRate, report.seconds)
            if let counts = report.sgid {
                line += String(format: ", sgid %d/%d hits (%.1f%%)", counts.hits, counts.selected, counts.hitRate * 100)
                if counts.filtered > 0 { line += ", \(counts.filtered) filtered" }
            }
            print(line)
        }
        let trainSeconds = Date().timeIntervalSince(start)
        var report = Report(train: arguments.positionals[0], pipeline: spec, recipe: recipe, samples: try ClassifierTraining.count(dataset),
                            epochs: epochs, trainSeconds: trainSeconds, parameters: classifier.parameterCount)
        if let source = arguments.value("validation") {
            report.validation = try ClassifierTraining.evaluate(classifier, on: try Dataset.open(source, classNamesFile: arguments.value("classes")),
                                                               threads: recipe.threads)
            print(String(format: "validation accuracy %.2f%% (%d of %d)", report.validation!.accuracy * 100, report.validation!.correct,
                         report.validation!.count))
        }
        if let source = arguments.value("test") {
            report.test = try ClassifierTraining.evaluate(classifier, on: try Dataset.open(source, classNamesFile: arguments.value("classes")),
                                                               threads: recipe.threads)
            print(String(format: "test accuracy %.2f%% (%d of %d)", report.test!.accuracy * 100, report.test!.correct, report.test!.count))
        }
        print(String(format: "trained %d parameters in %.1f s", classifier.parameterCount, trainSeconds))
        if let out = arguments.value("out") {
            try classifier.save(to: out, metadata: ["pipeline": spec, "train": arguments.positionals[0], "seed": String(recipe.seed)])
        }
        if let path = arguments.value("results") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try OutputFile.replace(try encoder.encode(report), at: path)
        }
    }
}
