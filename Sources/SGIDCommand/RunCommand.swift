import ArgumentParsing
import Augment
import Foundation
import ImageCodec
import GenerationCache
import Loader
import SGID

/// `sgid run SOURCE --pipeline SPEC --batch-size B …`: streams epochs through the loader, printing img/s per epoch.
enum RunCommand: SubCommand {
    static let spec = CommandSpec(
        name: "run",
        synopsis: "run SOURCE --pipeline SPEC --batch-size B [--epochs E] [--threads T] [--seed S] [--rank R --world-size W] [--samples-per-rank N|auto|shards] [--save-state FILE [--every N]] [--resume FILE] [--dump DIR] [--limit N]",
        options: [
            .value("pipeline", help: "inline spec ('random_resized_crop(size=224) | hflip'), JSON, or a file holding either"),
            .value("batch-size", help: "samples per batch"),
            .value("epochs", help: "epochs to run (default 1)"),
            .value("threads", help: "decode/augment threads (default: cores)"),
            .value("seed", help: "seed of orders and augmentations (default 0)"),
            .value("rank", help: "this process's rank (default 0)"),
            .value("world-size", help: "number of ranks (default 1)"),
            .value("limit", help: "stop each epoch after N batches"),
            .value("dump", help: "write the first batch of each epoch into DIR: SLOT-KEY.png and its label or Mixup target, SLOT-KEY.target.json"),
            .value("output", help: "uint8 (NHWC, default), float32-nchw or float32-nhwc (ImageNet-normalised)"),
            .value("decode", help: "exact (Pillow-identical, default) or fast (fused region + DCT-scaled JPEG decode)"),
            .value("color", help: "rgb (default, convert('RGB')) or gray (convert('L'): one channel)"),
            .value("on-error", help: "fail (default), skip or warn for corrupt samples"),
            .flag("require-image", help: "a sample without an image part is an error (default: skipped and counted)"),
            .value("shuffle-buffer", help: "WebDataset shuffle buffer (default 1000)"),
            .value("prefetch", help: "batches prepared ahead (default 4)"),
            .value("samples-per-rank", help: "WebDataset: auto (default: ceil(N/world) on every rank, padded), N (with_epoch) or shards (one uneven pass)"),
            .flag("no-shuffle", help: "canonical order"),
            .flag("drop-last", help: "drop a short last batch"),
            .flag("digest", help: "print a digest of each epoch's batches (bytes, labels, keys)"),
            .flag("batch-digests", help: "print one line per batch: epoch, batch number and digest"),
            .value("save-state", help: "write the loader state to FILE (atomically) every --every batches and after each epoch"),
            .value("every", help: "batches between two --save-state writes (default 1)"),
            .value("resume", help: "continue from a state FILE written by --save-state (same SOURCE and settings)"),
            .value("cache", help: "SGID cache directory: enables the 'sgid(p=…)' augmenter"),
            .value("mixup", help: "batch Mixup/CutMix with timm's arguments, e.g. 'mixup(mixup_alpha=0.8, cutmix_alpha=1, num_classes=10)'"),
            .value("fingerprint", help: "which generations of the cache to use (default: its only fingerprint)"),
        ],
        positionals: 1...1)
    static let summary = "stream a dataset through a pipeline into batches and report throughput"

    static func configuration(_ arguments: ParsedArguments) throws -> LoaderConfiguration {
        guard let batchSize = try arguments.integer("batch-size", in: 1...1_000_000) else {
            throw UsageError("--batch-size B is required")
        }
        var configuration = LoaderConfiguration(batchSize: batchSize)
        configuration.seed = UInt64(try arguments.integer("seed", in: 0...Int.max) ?? 0)
        configuration.rank = try arguments.integer("rank", in: 0...1_000_000) ?? 0
        configuration.worldSize = try arguments.integer("world-size", in: 1...1_000_000) ?? 1
        configuration.threads = try arguments.integer("threads", in: 1...1024) ?? configuration.threads
        configuration.colorMode = try arguments.value("color", as: "rgb or gray") { ColorMode(rawValue: $0) } ?? .rgb
        configuration.prefetchBatches = try arguments.integer("prefetch", in: 1...1024) ?? configuration.prefetchBatches
        configuration.shuffleBuffer = try arguments.integer("shuffle-buffer", in: 1...10_000_000) ?? configuration.shuffleBuffer
        configuration.shuffle = !arguments.flag("no-shuffle")
        configuration.dropLast = arguments.flag("drop-last")
        configuration.samplesPerRank = try arguments.value("samples-per-rank", as: "auto, shards or a positive count") {
            SamplesPerRank($0)
        } ?? .auto
        configuration.output = try arguments.value("output", as: "uint8, float32-nchw or float32-nhwc") { text -> OutputFormat? in
            switch text {
            case "uint8": .uint8NHWC
            case "float32-nchw": .float32NCHW(.imagenet)
            case "float32-nhwc": .float32NHWC(.imagenet)
            default: nil
            }
        } ?? .uint8NHWC
        configuration.decodeMode = try arguments.value("decode", as: "exact or fast") { DecodeMode(rawValue: $0) } ?? .exact
        configuration.corruptPolicy = try arguments.value("on-error", as: "fail, skip or warn") { CorruptSamplePolicy(rawValue: $0) } ?? .fail
        configuration.requiresImage = arguments.flag("require-image")
        guard configuration.rank < configuration.worldSize else {
            throw UsageError("--rank \(configuration.rank) must be below --world-size \(configuration.worldSize)")
        }
        return configuration
    }

    static func run(_ arguments: ParsedArguments) throws {
        var configuration = try configuration(arguments)
        let epochs = try arguments.integer("epochs", in: 1...100_000) ?? 1
        let limit = try arguments.integer("limit", in: 1...Int.max) ?? Int.max
        let registry = AugmenterRegistry()
        let sgidStatistics = SGIDStatistics()
        try CacheArgument.register(arguments, in: registry, statistics: sgidStatistics)
        let pipeline = try PipelineArgument.parseOptional(arguments, registry: registry).pipeline
        if let text = arguments.value("mixup") {
            do throws(AugmentError) { configuration.mixup = try Mixup.parse(text) } catch { throw UsageError("--mixup: \(error.message)") }
        }
        let saveState = arguments.value("save-state")
        let every = try arguments.integer("every", in: 1...Int.max) ?? 1
        if arguments.value("every") != nil, saveState == nil { throw UsageError("--every needs --save-state FILE") }
        let resume = try arguments.value("resume").map { path throws(CommandFailure) in try LoaderStateFile.read(path) }
        let dataset = try Dataset.open(arguments.positionals[0])
        let classNames = dataset.classNames
        let loader = try DataLoader(dataset: dataset, pipeline: pipeline, configuration: configuration)
        // A state saved after the last epoch leaves nothing to do.
        for epoch in min(resume?.epoch ?? 0, epochs)..<epochs {
            var digest = BatchDigest()
            let iterator: EpochIterator
            do {
                if let resume, resume.epoch == epoch {
                    iterator = try loader.resume(from: resume)
                } else {
                    iterator = try loader.epoch(epoch)
                }
            } catch {
                throw CommandFailure(error.description)
            }
            var delivered = 0
            while delivered < limit {
                let batch: Batch?
                do { batch = try iterator.next() } catch { throw CommandFailure(error.description) }
                guard let batch else { break }
                if arguments.flag("digest"), let targets = batch.targets { digest.add(targets: targets) }
                if delivered == 0, let directory = arguments.value("dump") {
                    try BatchDump.write(batch, classNames: classNames, to: "\(directory)/epoch-\(epoch)")
                }
                if arguments.flag("digest") { digest.add(batch) }
                if arguments.flag("batch-digests") {
                    var one = BatchDigest()
                    one.add(batch)
                    if let targets = batch.targets { one.add(targets: targets) }
                    print("epoch \(epoch) batch \(batch.index): digest \(one.hex)")
                }
                delivered += 1
                if let saveState, iterator.state.batchesDelivered % every == 0 {
                    try LoaderStateFile.write(iterator.state, to: saveState)
                }
            }
            // A finished epoch continues with the next one. A --limit cut of the last epoch continues where it
            // stopped; a cut of an earlier one continues with the next epoch, which this run goes on to (a state
            // naming the cut epoch would, after a kill, replay batches the uninterrupted run never delivers).
            if let saveState {
                let cutLast = delivered >= limit && epoch == epochs - 1
                try LoaderStateFile.write(cutLast ? iterator.state : LoaderState.start(of: epoch + 1, configuration: configuration),
                                          to: saveState)
            }
            let summary = iterator.summary
            var line = String(format: "epoch %d: %d batches, %d images, %.1f img/s", epoch, summary.batches, summary.samples,
                              summary.imagesPerSecond)
            if summary.skippedCount > 0 {
                let buckets = summary.skipped.map { (name: LoaderError.Kind(rawValue: $0.key)?.summaryName ?? $0.key, count: $0.value) }
                line += ", skipped \(summary.skippedCount) (" + buckets.sorted { $0.name < $1.name }
                    .map { "\($0.name) \($0.count)" }.joined(separator: ", ") + ")"
            }
            if summary.skippedArchiveBytes > 0 { line += ", \(summary.skippedArchiveBytes) bytes of damaged archive skipped" }
            if arguments.value("cache") != nil {
                let counts = sgidStatistics.snapshotAndReset()
                line += String(format: ", sgid %d/%d hits (%.1f%%)", counts.hits, counts.selected, counts.hitRate * 100)
            }
            if arguments.flag("digest") { line += ", digest \(digest.hex)" }
            print(line)
        }
    }
}

/// A running FNV-1a digest over batches (image bytes, labels, keys), to compare runs.
struct BatchDigest {
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325

    private mutating func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for byte in bytes { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    }

    mutating func add(_ batch: Batch) {
        batch.withImageBytes { mix($0) }
        for label in batch.labels { withUnsafeBytes(of: label.littleEndian) { mix($0) } }
        for key in batch.keys { mix(key.utf8) }
    }

    mutating func add(targets: [Float]) {
        for target in targets { withUnsafeBytes(of: target.bitPattern.littleEndian) { mix($0) } }
    }

    var hex: String { String(state, radix: 16) }
}
