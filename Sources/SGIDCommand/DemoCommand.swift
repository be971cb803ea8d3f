import ArgumentParsing
import Augment
import CacheShard
import Foundation
import GenerationCache
import ImageCodec
import Loader
import SGID

/// `sgid demo [--out DIR]`: the main job end to end on data it generates itself: an ImageFolder of procedural photos
/// → WebDataset shards → SGID precompute into a cache → two training epochs through `sgid(p=0.5) | crop | flip | randaugment`
/// with hit rates and throughput → a preview grid (original | generations | augmented).
///
/// Until the native embedded generator exists, generation runs the diffusers worker on a tiny, randomly initialised
/// Stable Diffusion built locally (`Tests/Peers/make_tiny_models.py`): its "generations" are noise-like, the
/// machinery around them is real.
enum DemoCommand: SubCommand {
    static let spec = CommandSpec(
        name: "demo", synopsis: "demo [--out DIR] [--models DIR]",
        options: [.value("out", help: "where to write the outputs (default out/demo)"),
                  .value("models", help: "tiny models folder (default $SGID_CACHE/tiny-models, built if missing)")],
        positionals: 0...0)
    static let summary = "run the main job on generated data: shards, SGID precompute, two epochs, preview grid"

    static let classes = ["golden_retriever", "tabby_cat", "goldfinch"]

    static func run(_ arguments: ParsedArguments) throws {
        let out = arguments.value("out") ?? "out/demo"
        try? FileManager.default.removeItem(atPath: out)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let models = try DemoModels.prepare(arguments.value("models"))

        // 1. An ImageFolder of procedural photographs (3 classes × 8), then WebDataset shards of it.
        let images = out + "/images"
        var number = 0
        for name in classes {
            try FileManager.default.createDirectory(atPath: images + "/" + name, withIntermediateDirectories: true)
            for index in 0..<8 {
                let photo = DemoImages.make(width: [320, 256, 240][index % 3], height: [240, 256, 320][index % 3], seed: UInt64(number + 1))
                try Data(JPEGEncoder.encode(photo, quality: 90)).write(to: URL(fileURLWithPath: "\(images)/\(name)/\(index).jpg"))
                number += 1
            }
        }
        print("== 1. dataset: \(number) generated photos in \(classes.count) classes at \(images)")
        try ShardsCreateCommand.run(ArgumentParser.parse([images, "--out", out + "/shards/train-%03d.tar", "--max-count", "10"],
                                                         spec: ShardsCreateCommand.spec))
        let shards = out + "/shards/train-{000..002}.tar"

        // 2. SGID precompute: label + BLIP caption → prompt → img2img, K = 3 variants per image.
        print("== 2. SGID precompute with the diffusers worker on a TINY, RANDOMLY INITIALISED local pipeline "
              + "(no model download; the generations are noise-like, the pipeline around them is real)")
        try PrecomputeCommand.run(ArgumentParser.parse([
            shards, "--cache", out + "/cache", "--model", models + "/sd", "--captioner", models + "/blip",
            "--variants", "3", "--strength", "0.5,0.8", "--steps", "4", "--size", "64x64", "--batch", "4", "--workers", "1",
            "--seed", "1", "--class-names", try DemoModels.classFile(out, classes),
        ], spec: PrecomputeCommand.spec))
        try CacheInspectCommand.run(ArgumentParser.parse([out + "/cache"], spec: CacheInspectCommand.spec))

        // 3. Two epochs of training batches through SGID + crop + flip.
        print("== 3. training epochs: sgid(p=0.5) | random_resized_crop(size=64) | hflip | randaugment(rand-m9-n2-mstd0.5), batch 8, fast decode")
        let store = try CacheStore(directory: out + "/cache")
        let statistics = SGIDStatistics()
        let registry = AugmenterRegistry()
        SGIDAugmenter.register(in: registry, store: store, fingerprint: store.fingerprints[0], statistics: statistics)
        let pipeline = try PipelineSpec.parse("sgid(p=0.5) | random_resized_crop(size=64) | hflip | randaugment(rand-m9-n2-mstd0.5)", registry: registry)
        let loader = try DataLoader(dataset: try WebDatasetDataset(shards), pipeline: pipeline,
                                    configuration: LoaderConfiguration(batchSize: 8, seed: 42, shuffleBuffer: 16,
                                                                       shuffleInitial: 4, decodeMode: .fast))
        var augmented: [String: Image] = [:]
        for epoch in 0..<2 {
            let iterator = try loader.epoch(epoch)
            while let batch = try iterator.next() {
                guard epoch == 0 else { continue }
                batch.withUInt8Images { pixels in
                    for slot in 0..<batch.count {
                        augmented[batch.keys[slot]] = Image(width: batch.width, height: batch.height, channels: batch.channels,
                                                            pixels: Array(pixels[slot * batch.imageElements..<(slot + 1) * batch.imageElements]))
                    }
                }
            }
            let counts = statistics.snapshotAndReset()
            let summary = iterator.summary
            print(String(format: "epoch %d: %d batches, %d images, %.0f img/s, SGID replaced %d of %d (hit rate %.0f%%)",
                         epoch, summary.batches, summary.samples, summary.imagesPerSecond, counts.hits, summary.samples,
                         counts.hitRate * 100))
        }

        // 4. Preview: one row per sample: original | its 3 generations | what epoch 0 trained on.
        let keys = augmented.keys.sorted().prefix(6)
        var sheet = ContactSheet(columns: 5, rows: keys.count, cellWidth: 128, cellHeight: 128)
        for (row, key) in keys.enumerated() {
            let file = "\(images)/\(key).jpg"
            sheet.place(try ImageDecoder.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: file)))), column: 0, row: row)
            let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            if let hit = store.lookup(key: key, sourceDigest: SHA256.digest(data), fingerprint: store.fingerprints[0]) {
                for variant in 0..<min(3, hit.variantCount) { sheet.place(try store.image(hit, at: variant), column: 1 + variant, row: row) }
            }
            if let image = augmented[key] { sheet.place(image, column: 4, row: row) }
        }
        let grid = out + "/grid.png"
        try Data(PNGEncoder.encode(sheet.canvas)).write(to: URL(fileURLWithPath: grid))
        print("== 4. preview (original | 3 generations | trained-on) written to \(grid)")
    }
}

/// The demo's tiny models: found or built with the heavy Python environment.
enum DemoModels {
    static func prepare(_ explicit: String?) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["SGID_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache/sgidkit")
        let directory = explicit ?? cache + "/tiny-models"
        if FileManager.default.fileExists(atPath: directory + "/sd/model_index.json") { return directory }
        guard let worker = WorkerLocator.script() else {
            throw CommandFailure("tiny models missing at \(directory) and no checkout found to build them (run scripts/demo.sh)")
        }
        let builder = URL(fileURLWithPath: worker).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Peers/make_tiny_models.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WorkerLocator.python())
        process.arguments = [builder, directory]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandFailure("building the tiny models failed (run scripts/setup-heavy.sh)") }
        return directory
    }

    /// Writes the class names (one per line) so numeric labels become prompt text.
    static func classFile(_ out: String, _ classes: [String]) throws -> String {
        let path = out + "/classes.txt"
        try classes.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
