import ArgumentParsing
import Foundation
import Loader
import Training

/// `sgid evaluate MODEL SOURCE [--classes FILE] [--threads T]`: the top-1 accuracy of a trained classifier folder (as
/// `sgid train --out` writes it) on a dataset, overall and per class.
enum EvaluateCommand: SubCommand {
    static let spec = CommandSpec(
        name: "evaluate", synopsis: "evaluate MODEL SOURCE [--classes FILE] [--threads T] [--json]",
        options: [
            .value("classes", help: "class names, one per line, for shards (default: classes.txt beside the first shard)"),
            .value("threads", help: "threads (default: cores)"),
            .flag("json", help: "print the evaluation as JSON"),
        ],
        positionals: 2...2)
    static let summary = "top-1 accuracy of a trained classifier (sgid train --out) on a dataset, per class too"

    static func run(_ arguments: ParsedArguments) throws {
        let classifier: Classifier
        do { classifier = try Classifier(folder: arguments.positionals[0]) } catch { throw CommandFailure(error.description) }
        let threads = try arguments.integer("threads", in: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        let dataset = try Dataset.open(arguments.positionals[1], classNamesFile: arguments.value("classes"))
        let evaluation = try ClassifierTraining.evaluate(classifier, on: dataset, threads: threads)
        if arguments.flag("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(evaluation), as: UTF8.self))
            return
        }
        print(String(format: "accuracy %.2f%% (%d of %d)", 100 * evaluation.accuracy, evaluation.correct, evaluation.count))
        for (index, counts) in evaluation.perClass.enumerated() where counts[1] > 0 {
            let name = index < classifier.classNames.count ? classifier.classNames[index] : "class \(index)"
            print(String(format: "  %@: %.1f%% (%d of %d)", name, 100 * Double(counts[0]) / Double(counts[1]), counts[0], counts[1]))
        }
    }
}
