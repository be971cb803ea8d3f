import ArgumentParsing
import Augment
import CacheShard
import Foundation
import GenerationCache
import ImageCodec
import Loader
import NativeGenerator
import SGID

/// `sgid cache consistency SOURCE --cache DIR [--cache DIR …] --scorer FOLDER [--grid FILE] [--json FILE]`: how
/// semantically consistent and how diverse a cache's generations of SOURCE are — the class-consistency rate (the
/// share of variants the scorer classifies as their source's label), the mean probability of that label, and the mean
/// absolute pixel distance of variants to their source (in [0, 1]) — one row per cache, labelled by its settings
/// (strength, guidance, steps); `--grid` draws one source per class with the first variant of every cache.
enum CacheConsistencyCommand: SubCommand {
    static let spec = CommandSpec(
        name: "cache consistency",
        synopsis: "cache consistency SOURCE --cache DIR [--cache DIR …] --scorer FOLDER [--grid FILE] [--json FILE] [--cell PX]",
        options: [
            .value("cache", repeatable: true, help: "a cache of SOURCE's generations (one fingerprint); repeat to compare settings"),
            .value("scorer", help: "a classifier folder (a native model's scorer/)"),
            .value("grid", help: "write a PNG: a row per class (its first source), the source then each cache's first variant"),
            .value("json", help: "write the measurements as JSON here"),
            .value("cell", help: "grid cell size in pixels (default 84)"),
        ],
        positionals: 1...1)
    static let summary = "measure a cache's class consistency (by a classifier) and diversity, per setting; draw a grid"

    struct Row: Codable {
        var cache: String
        var settings: String
        var sources: Int
        var variants: Int
        var consistencyRate: Double
        var meanLabelProbability: Double
        var meanPixelDistance: Double
    }

    /// "s=0.5 g=2 50 steps" from a record's provenance.
    static func settingsLabel(_ provenanceJSON: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(provenanceJSON.utf8)) as? [String: Any] else { return "?" }
        let settings = object["settings"] as? [String: Any] ?? [:]
        let strengths = (settings["strengths"] as? [Double]) ?? (object["strength"] as? Double).map { [$0] } ?? []
        let text = strengths.map { String(format: "%g", $0) }.joined(separator: ",")
        let guidance = (object["guidance"] as? Double).map { String(format: " g=%g", $0) } ?? ""
        return "s=\(text)\(guidance)"
    }

    static func run(_ arguments: ParsedArguments) throws {
        let caches = arguments.values["cache"] ?? []
        guard !caches.isEmpty else { throw UsageError("--cache DIR is required (repeat it to compare caches)") }
        guard let scorerFolder = arguments.value("scorer") else { throw UsageError("--scorer FOLDER is required") }
        let cell = try arguments.integer("cell", in: 16...512) ?? 84
        let scorer: ClassifierScorer
        do { scorer = try ClassifierScorer(folder: scorerFolder, threads: ProcessInfo.processInfo.activeProcessorCount) } catch {
            throw CommandFailure(error.description)
        }
        let dataset = try Dataset.open(arguments.positionals[0])
        var stores: [(path: String, store: CacheStore, fingerprint: String)] = []
        for path in caches {
            let store: CacheStore
            do throws(CacheError) { store = try CacheStore(directory: path) } catch { throw CommandFailure(error.description) }
            guard store.fingerprints.count == 1 else {
                throw CommandFailure("\(path) holds \(store.fingerprints.count) fingerprints; give one cache per setting")
            }
            stores.append((path, store, store.fingerprints[0]))
        }
        let (rows, gridRows) = try measure(dataset, stores: stores, scorer: scorer)
        print("| cache | settings | sources | variants | class-consistency rate | mean p(label) | mean pixel distance |")
        print("|---|---|---|---|---|---|---|")
        for row in rows {
            print(String(format: "| %@ | %@ | %d | %d | %.1f%% | %.3f | %.3f |", row.cache, row.settings, row.sources, row.variants,
                         100 * row.consistencyRate, row.meanLabelProbability, row.meanPixelDistance))
        }
        if let path = arguments.value("grid") {
            let labels = scorer.classifier.classNames.filter { gridRows[$0] != nil || gridRows[$0.replacingOccurrences(of: "/", with: "_")] != nil }
            var grid = LabelledGrid(columnHeaders: ["source"] + rows.map(\.settings), rowLabels: labels, cell: cell,
                                    legend: "Each row: a source image of the class, then the first variant of each setting "
                                        + "(s = img2img strength, g = guidance); under each variant the scorer's probability of the class.")
            for (row, label) in labels.enumerated() {
                guard let entry = gridRows[label] ?? gridRows[label.replacingOccurrences(of: "/", with: "_")] else { continue }
                grid.place(entry.source, column: 0, row: row)
                for (column, first) in entry.firsts.enumerated() {
                    if let (image, score) = first { grid.place(image, column: column + 1, row: row, caption: String(format: "p=%.2f", score)) }
                }
            }
            do { try OutputFile.replace(try PNGEncoder.encode(grid.image), at: path) } catch {
                throw CommandFailure("cannot write \(path): \(error)")
            }
        }
        if let path = arguments.value("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try OutputFile.replace(try encoder.encode(rows), at: path)
        }
    }

    /// A class's first source (key, encoded bytes, pixels) and its first variant in each cache with its label
    /// probability (`nil` where the cache has none).
    struct GridRow {
        var key: String
        var bytes: [UInt8]
        var source: Image
        var firsts: [(Image, Double)?]
    }

    /// Measures each cache's generations of `dataset`'s samples.
    /// - Parameters:
    ///   - dataset: The sources, visited in canonical order.
    ///   - stores: The caches and their fingerprints.
    ///   - scorer: The classifier.
    /// - Returns: One row per cache, and per class label the first source with its first variants.
    static func measure(_ dataset: Dataset, stores: [(path: String, store: CacheStore, fingerprint: String)],
                        scorer: ClassifierScorer) throws -> (rows: [Row], grid: [String: GridRow]) {
        let mode: ColorMode = scorer.classifier.architecture.inputChannels == 1 ? .gray : .rgb
        var rows = stores.map { Row(cache: $0.path, settings: "", sources: 0, variants: 0, consistencyRate: 0, meanLabelProbability: 0,
                                    meanPixelDistance: 0) }
        var gridRows: [String: GridRow] = [:]
        try dataset.forEachSample { result in
            let sample: Sample
            switch result {
            case .success(let read): sample = read
            case .failure(let error): throw CommandFailure(error.description)
            }
            guard case .encoded(let bytes) = sample.image, let label = sample.className ?? sample.label.map(String.init),
                  let classIndex = scorer.classIndex(of: label) else { return true }
            let source = try ImageDecoder.decode(bytes, options: DecodeOptions(mode: mode))
            let digest = SHA256.digest(bytes)
            var firsts: [(Image, Double)?] = []
            for (index, entry) in stores.enumerated() {
                guard let found = entry.store.lookup(key: sample.key, sourceDigest: digest, fingerprint: entry.fingerprint) else {
                    firsts.append(nil)
                    continue
                }
                if rows[index].settings.isEmpty { rows[index].settings = settingsLabel(try entry.store.meta(found).provenanceJSON) }
                let variants = try (0..<found.variantCount).map { try entry.store.image(found, at: $0) }
                let probabilities = try scorer.classProbabilities(variants)
                rows[index].sources += 1
                for (variant, row) in zip(variants, probabilities) {
                    rows[index].variants += 1
                    if row.indices.max(by: { row[$0] < row[$1] }) == classIndex { rows[index].consistencyRate += 1 }
                    rows[index].meanLabelProbability += Double(row[classIndex])
                    if variant.pixels.count == source.pixels.count {
                        let distance = zip(variant.pixels, source.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
                        rows[index].meanPixelDistance += Double(distance) / Double(255 * source.pixels.count)
                    }
                }
                firsts.append(variants.first.map { ($0, Double(probabilities[0][classIndex])) })
            }
            if gridRows[label] == nil { gridRows[label] = GridRow(key: sample.key, bytes: bytes, source: source, firsts: firsts) }
            return true
        }
        for index in rows.indices where rows[index].variants > 0 {
            let count = Double(rows[index].variants)
            rows[index].consistencyRate /= count
            rows[index].meanLabelProbability /= count
            rows[index].meanPixelDistance /= count
        }
        return (rows, gridRows)
    }
}
