import ArgumentParsing
import Augment
import CacheShard
import Foundation
import GenerationCache
import ImageCodec
import Loader
import NativeGenerator
import SGID
import Training

/// `sgid demo [--out DIR]`: SGID's main job end to end on real data, with no Python: a small Fashion-MNIST training set
/// and the test split as WebDataset shards → an SGID cache from the shipped native generator (class-label guidance,
/// consistency filter by its scorer) → the Swift classifier trained twice on the same seed, with RandAugment alone and
/// with SGID + RandAugment, batches streamed through the loader → both test accuracies side by side, a labelled
/// preview grid and a results JSON. A second run reuses the cache.
enum DemoCommand: SubCommand {
    static let spec = CommandSpec(
        name: "demo", synopsis: "demo [--out DIR] [--model DIR] [--per-class N] [--variants K] [--epochs E] [--test-images N] [--threads T]",
        options: [
            .value("out", help: "where to write the outputs (default out/demo; its cache/ is kept and reused)"),
            .value("model", help: "the native model folder (default the checkout's Models/fashion-mnist-ddpm)"),
            .value("per-class", help: "training images per class (default 20)"),
            .value("variants", help: "SGID generations per training image (default 4)"),
            .value("epochs", help: "training epochs of each run (default 60)"),
            .value("test-images", help: "evaluate on the first N test images (default all 10,000)"),
            .value("threads", help: "threads (default: cores)"),
        ],
        positionals: 0...0)
    static let summary = "SGID end to end, no Python: Fashion-MNIST → native SGID cache → Swift classifier with and without SGID"

    struct Results: Codable {
        struct Run: Codable {
            var pipeline: String
            var testAccuracy: Double
            var trainSeconds: Double
            var sgidHitRate: Double?
        }
        var trainImages: Int
        var testImages: Int
        var variantsPerImage: Int
        var precompute: [String: Double]
        var consistencyRate: Double
        var meanLabelProbability: Double
        var randAugment: Run
        var sgidRandAugment: Run
        var seconds: Double
    }

    static func run(_ arguments: ParsedArguments) throws {
        let started = Date()
        let out = arguments.value("out") ?? "out/demo"
        let perClass = try arguments.integer("per-class", in: 1...6000) ?? 20
        let variants = try arguments.integer("variants", in: 1...64) ?? 4
        let epochs = try arguments.integer("epochs", in: 1...10_000) ?? 60
        let threads = try arguments.integer("threads", in: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        let testImages = try arguments.integer("test-images", in: 1...10_000) ?? 10_000
        guard let model = arguments.value("model") ?? WorkerLocator.checkoutPath("Models/fashion-mnist-ddpm") else {
            throw CommandFailure("the shipped model Models/fashion-mnist-ddpm was not found; run from the checkout or pass --model DIR")
        }
        // Everything but the cache is rewritten: a second run shows the cache reused.
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for name in ["data", "grid.png", "results.json"] { try? FileManager.default.removeItem(atPath: out + "/" + name) }

        // 1. Data: N images per class from train[50000:60000] (never seen by the generator or its scorer), the test split.
        print("== 1. Fashion-MNIST: \(perClass) training images per class, \(testImages) test images, as WebDataset shards")
        try DatasetsImportCommand.run(ArgumentParser.parse(["fashion-mnist", "--out", out + "/data/train", "--range", "50000:60000",
                                                            "--per-class", String(perClass), "--seed", "0", "--format", "shards"],
                                                           spec: DatasetsImportCommand.spec))
        try DatasetsImportCommand.run(ArgumentParser.parse(["fashion-mnist", "--split", "test", "--out", out + "/data/test",
                                                            "--range", "0:\(testImages)", "--format", "shards"],
                                                           spec: DatasetsImportCommand.spec))
        let shardCount = (perClass * 10 + 999) / 1000
        let train = out + "/data/train/shard-{000000..\(String(format: "%06d", shardCount - 1))}.tar"
        let test = out + "/data/test/shard-{000000..\(String(format: "%06d", (testImages + 999) / 1000 - 1))}.tar"

        // 2. SGID precompute with the shipped native generator and its consistency filter.
        print("== 2. SGID precompute, native (no Python): \(variants) variants per image, img2img strength 0.5, 25 of 50 DDIM "
              + "steps, class-label guidance 2, variants the scorer gives under 0.5 for their label regenerated once, then dropped")
        let precomputeStart = Date()
        try PrecomputeCommand.run(ArgumentParser.parse([
            train, "--cache", out + "/cache", "--generator", "native", "--model", model, "--variants", String(variants),
            "--strength", "0.5", "--guidance", "2", "--steps", "50", "--min-score", "0.5", "--max-retries", "1", "--seed", "0",
            "--threads", String(threads), "--batch", "16", "--class-names", out + "/data/train/classes.txt",
        ], spec: PrecomputeCommand.spec))
        let precomputeSeconds = Date().timeIntervalSince(precomputeStart)
        let (store, fingerprint) = try CacheArgument.open(out + "/cache", fingerprint: nil)
        let scorer = try ClassifierScorer(folder: model + "/scorer", threads: threads)
        let trainSet = try Dataset.open(train)
        let (measured, gridSources) = try CacheConsistencyCommand.measure(trainSet, stores: [(out + "/cache", store, fingerprint)],
                                                                         scorer: scorer)
        let consistency = measured[0]
        print(String(format: "class consistency of the cached variants (the scorer's top class is the label): %.1f%% of %d, "
                     + "mean probability of the label %.3f", 100 * consistency.consistencyRate, consistency.variants,
                     consistency.meanLabelProbability))

        // 3. The classifier, twice: same seed and epochs, RandAugment alone, then SGID + RandAugment. Magnitude 1 and
        // p 0.5 are what the experiment's validation search chose (Examples/FashionMNIST/SEARCH.md).
        let crop = "random_crop(size=28, padding=2) | hflip | tv_randaugment(num_ops=2, magnitude=1)"
        var recipe = ClassifierRecipe()
        recipe.epochs = epochs
        recipe.threads = threads
        let testSet = try Dataset.open(test)
        var runs: [Results.Run] = [], trainedOn: [String: Image] = [:]
        let gridKeys = Set(gridSources.values.map(\.key))
        for (index, spec) in [crop, "sgid(p=0.5) | " + crop].enumerated() {
            print("== \(3 + index). training the Swift classifier (\(epochs) epochs, batches from the loader): \(spec)")
            let statistics = SGIDStatistics(), registry = AugmenterRegistry()
            SGIDAugmenter.register(in: registry, store: store, fingerprint: fingerprint, statistics: statistics)
            let pipeline = try PipelineSpec.parse(spec, registry: registry)
            var hits = 0, selected = 0
            let start = Date()
            let classifier = try ClassifierTraining.train(trainSet, pipeline: pipeline, recipe: recipe, classNames: trainSet.classNames,
                                                          statistics: statistics, observe: { epoch, batch in
                guard index == 1, epoch == 0 else { return }
                for slot in 0..<batch.count where gridKeys.contains(batch.keys[slot]) { trainedOn[batch.keys[slot]] = batch.image(at: slot) }
            }) { report in
                if let counts = report.sgid {
                    hits += counts.hits
                    selected += counts.selected
                }
                guard report.epoch % 20 == 19 || report.epoch == epochs - 1 else { return }
                var line = String(format: "  epoch %d: loss %.3f, train accuracy %.1f%%", report.epoch + 1, report.loss,
                                  100 * report.trainAccuracy)
                if let counts = report.sgid, counts.selected > 0 {
                    line += String(format: ", SGID hit rate %.0f%% (%d of %d)", 100 * counts.hitRate, counts.hits, counts.selected)
                }
                print(line)
            }
            let seconds = Date().timeIntervalSince(start)
            let evaluation = try ClassifierTraining.evaluate(classifier, on: testSet, threads: threads)
            runs.append(Results.Run(pipeline: spec, testAccuracy: evaluation.accuracy, trainSeconds: seconds,
                                    sgidHitRate: selected > 0 ? Double(hits) / Double(selected) : nil))
            print(String(format: "  test accuracy %.2f%% (%d of %d), trained in %.1f s", 100 * evaluation.accuracy, evaluation.correct,
                         evaluation.count, seconds))
        }
        print(String(format: "== test accuracy on %d images: RandAugment %.2f%%  |  SGID + RandAugment %.2f%%  (%+.2f points)",
                     testImages, 100 * runs[0].testAccuracy, 100 * runs[1].testAccuracy, 100 * (runs[1].testAccuracy - runs[0].testAccuracy)))

        // 5. The grid: a row per class: original | its generations with their scores | what SGID + RandAugment trained on.
        try writeGrid(out + "/grid.png", classes: trainSet.classNames, sources: gridSources, store: store, fingerprint: fingerprint,
                      scorer: scorer, variants: variants, trainedOn: trainedOn)
        let results = Results(trainImages: consistency.sources, testImages: testImages, variantsPerImage: variants,
                              precompute: ["seconds": precomputeSeconds], consistencyRate: consistency.consistencyRate,
                              meanLabelProbability: consistency.meanLabelProbability, randAugment: runs[0], sgidRandAugment: runs[1],
                              seconds: Date().timeIntervalSince(started))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try OutputFile.replace(try encoder.encode(results), at: out + "/results.json")
        print(String(format: "== wrote %@/grid.png and %@/results.json; the demo took %.0f s", out, out, results.seconds))
    }

    static func writeGrid(_ path: String, classes: [String], sources: [String: CacheConsistencyCommand.GridRow], store: CacheStore,
                          fingerprint: String, scorer: ClassifierScorer, variants: Int, trainedOn: [String: Image]) throws {
        let headers = ["original"] + (1...variants).map { "generation \($0)" } + ["trained on"]
        var grid = LabelledGrid(columnHeaders: headers, rowLabels: classes, cell: 84,
                                legend: "Each row: a training image of the class (original), its SGID generations from the shipped "
                                    + "native generator with the scorer's probability of the class (p; under 0.5 regenerated, "
                                    + "then dropped), and what SGID + RandAugment fed the classifier in its first epoch.")
        for (row, name) in classes.enumerated() {
            guard let entry = sources[name] else { continue }
            grid.place(entry.source, column: 0, row: row)
            let digest = SHA256.digest(entry.bytes)
            if let hit = store.lookup(key: entry.key, sourceDigest: digest, fingerprint: fingerprint) {
                let images = try (0..<min(variants, hit.variantCount)).map { try store.image(hit, at: $0) }
                let scores = try scorer.score(images.map { ScoreRequest(key: entry.key, image: $0, label: name, labelPrompt: "") })
                for (column, image) in images.enumerated() {
                    grid.place(image, column: column + 1, row: row, caption: (try? scores[column].get()).map { String(format: "p=%.2f", $0) })
                }
                for column in images.count..<variants { grid.note("dropped", column: column + 1, row: row) }
            }
            if let image = trainedOn[entry.key] { grid.place(image, column: variants + 1, row: row) }
        }
        try OutputFile.replace(try PNGEncoder.encode(grid.image), at: path)
    }
}
