import ArgumentParsing
import Augment
import CacheShard
import Foundation
import ImageCodec
import Loader
import SGID

/// `sgid precompute SOURCE --cache DIR --generator diffusers --model M …`: offline SGID generation into the cache.
enum PrecomputeCommand: SubCommand {
    static let spec = CommandSpec(
        name: "precompute",
        synopsis: "precompute SOURCE --cache DIR --generator NAME --model M [--captioner M] [--clip M --min-score X] "
            + "--variants K --strength S[,S…] --guidance G --steps N --batch B --workers W --seed SEED [--rank R --world-size N]",
        options: [
            .value("cache", help: "cache directory (this rank writes its own shard there)"),
            .value("generator", help: "generator plugin: diffusers (default) or native"),
            .value("model", help: "generation model: a local folder or a model id (native: a DDPMPipeline folder with classes.json)"),
            .value("captioner", help: "captioning model (BLIP); omit to prompt with labels (and existing captions) only"),
            .value("clip", help: "diffusers: scoring model (CLIP) for --min-score and --guidance-range"),
            .value("min-score", help: "regenerate variants scoring below X in -1…1, then drop them (needs a scorer: --clip, or a native folder's scorer/)"),
            .value("max-retries", help: "regenerations per variant under --min-score (default 2)"),
            .value("variants", help: "generations per image, K (default 10)"),
            .value("strength", help: "img2img strength(s) in (0, 1], comma-separated; variant i uses the (i mod n)-th (default 0.5)"),
            .value("guidance", help: "guidance scale in 0…100 (default 7.5)"),
            .value("guidance-range", help: "similarity-driven guidance MIN:MAX in 0…100 (needs a scorer, as --min-score)"),
            .value("steps", help: "denoising steps (default 50)"),
            .value("size", help: "generation size WxH (default: the generator's own, else 512x512)"),
            .value("batch", help: "images per generator call (default 4)"),
            .value("workers", help: "worker processes (default 1; one per GPU with --gpus)"),
            .value("gpus", help: "diffusers: GPU ids for the workers, e.g. 0,1,2,3"),
            .value("threads", help: "native: worker threads (default: cores)"),
            .value("scheduler", help: "native: ddim or ddpm, to run the model's schedule with that sampler (default: its own)"),
            .value("seed", help: "base seed of the variant seeds (default 0)"),
            .value("rank", help: "this process's rank (else from Slurm, torchrun or Kubernetes variables)"),
            .value("world-size", help: "number of ranks"),
            .value("codec", help: "how variants are stored: raw (default), png, jpeg"),
            .value("prompt-template", help: "default 'a photo of a {label}, {caption}'"),
            .value("prompt-mode", help: "label+caption (default), label or caption"),
            .value("negative-prompt", help: "negative prompt"),
            .value("class-names", help: "file with one class name per line (label text for numeric labels)"),
            .value("python", help: "diffusers: interpreter of the worker (default the heavy venv)"),
            .value("worker-script", help: "diffusers: the worker program (default Workers/diffusers/sgid_worker.py)"),
        ],
        positionals: 1...1)
    static let summary = "generate SGID variants offline into a cache (resumable, distributed)"

    static func settings(_ arguments: ParsedArguments) throws -> GenerationSettings {
        var settings = GenerationSettings()
        settings.variants = try arguments.integer("variants", in: 1...1024) ?? settings.variants
        if let strengths = try arguments.numbers("strength", separatedBy: ",", count: 1...1024, in: 0...1) {
            guard strengths.allSatisfy({ $0 > 0 }) else {
                throw UsageError("--strength expects numbers in (0, 1] separated by commas, got '\(arguments.value("strength") ?? "")'")
            }
            settings.strengths = strengths
        }
        settings.guidance = try arguments.number("guidance", in: Self.guidanceScales) ?? settings.guidance
        if let bounds = try arguments.numbers("guidance-range", separatedBy: ":", count: 2...2, in: Self.guidanceScales) {
            guard bounds[0] <= bounds[1] else { throw UsageError("--guidance-range expects MIN:MAX with MIN ≤ MAX, got '\(bounds[0]):\(bounds[1])'") }
            settings.guidanceRange = bounds[0]...bounds[1]
        }
        settings.steps = try arguments.integer("steps", in: 1...10_000) ?? settings.steps
        if let strength = settings.strengths.first(where: { Int(Double(settings.steps) * $0) < 1 }) {
            throw UsageError("--steps \(settings.steps) × --strength \(strength) leaves no denoising step (img2img runs "
                             + "int(steps × strength) of the schedule's steps)")
        }
        settings.seed = UInt64(try arguments.integer("seed", in: 0...Int.max) ?? 0)
        settings.size = try arguments.value("size", as: GeometryArguments.sizeExpectation, GeometryArguments.size) ?? settings.size
        settings.minScore = try arguments.number("min-score", in: -1...1)
        settings.maxRetries = try arguments.integer("max-retries", in: 0...100) ?? settings.maxRetries
        settings.negativePrompt = arguments.value("negative-prompt") ?? ""
        settings.codec = try arguments.value("codec", as: "raw, png or jpeg") { GenerationSettings.StoredCodec(rawValue: $0) } ?? .raw
        settings.prompt = PromptBuilder(
            template: arguments.value("prompt-template") ?? PromptBuilder.defaultTemplate,
            mode: try arguments.value("prompt-mode", as: "label+caption, label or caption") { PromptBuilder.Mode(rawValue: $0) } ?? .labelAndCaption)
        return settings
    }

    /// Classifier-free guidance scales `--guidance` and `--guidance-range` accept (diffusers' defaults are 7.5 and
    /// below 20; 100 leaves room while refusing absurd values).
    static let guidanceScales = 0.0...100.0

    /// Flags only one backend reads, passed through to it by name (a backend refuses those it does not know).
    static let backendFlags = ["python", "worker-script", "gpus", "threads", "scheduler"]

    static func run(_ arguments: ParsedArguments) throws {
        guard let cache = arguments.value("cache") else { throw UsageError("--cache DIR is required") }
        guard let model = arguments.value("model") else { throw UsageError("--model M is required") }
        var settings = try settings(arguments)
        let distributed: DistributedEnvironment
        do {
            distributed = try DistributedEnvironment.resolve(
                rank: try arguments.integer("rank", in: 0...1_000_000), worldSize: try arguments.integer("world-size", in: 1...1_000_000),
                environment: ProcessInfo.processInfo.environment)
        } catch let error as GeneratorError {
            throw UsageError(error.message)
        }
        let batch = try arguments.integer("batch", in: 1...4096) ?? 4
        var backendOptions: [String: String] = [:]
        for flag in backendFlags { backendOptions[flag] = arguments.value(flag) }
        let options = GeneratorOptions(model: model, captioner: arguments.value("captioner"), scorer: arguments.value("clip"),
                                       workers: try arguments.integer("workers", in: 1...1024) ?? 1, batch: batch,
                                       backendOptions: backendOptions)
        var classNames: [String] = []
        if let file = arguments.value("class-names") {
            classNames = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        let source = try Dataset.open(arguments.positionals[0])
        if classNames.isEmpty { classNames = source.classNames }
        let name = arguments.value("generator") ?? "diffusers"
        print("sgid precompute: rank \(distributed.rank) of \(distributed.worldSize) (\(distributed.origin)), starting "
              + "\(options.workers) \(name) generator instance(s)…")
        let plugin: GeneratorRegistry.Plugin
        do {
            plugin = try GeneratorRegistry.shared.make(name, options: options)
        } catch {
            throw CommandFailure(error.description)
        }
        defer { plugin.generator.shutdown() }
        if arguments.value("size") == nil, let size = plugin.generator.capabilities.defaultSize { settings.size = size }
        if ConsistencyPolicy(settings).needsScorer && plugin.scorer == nil {
            throw UsageError("--min-score and --guidance-range need a consistency scorer, and the \(name) generator has none"
                             + (name == "diffusers" ? ": add --clip M" : ": the model folder has no scorer/ classifier"))
        }
        // Generations are expensive: commit after every generator batch, so a crash loses at most one batch.
        let writerOptions = CacheShardWriter.Options(commitEveryRecords: batch * options.workers, commitInterval: .seconds(30))
        let job = Precompute(configuration: .init(cacheDirectory: cache, settings: settings, distributed: distributed,
                                                  captionBatch: batch * 2, generateBatch: batch * options.workers,
                                                  writerOptions: writerOptions),
                             generator: plugin.generator, captioner: plugin.captioner, scorer: plugin.scorer, classNames: classNames)
        print("fingerprint \(job.fingerprint)")
        // Ctrl-C finishes the samples under way; SIGTERM (kill, Slurm, Kubernetes) stops the workers at once. Both
        // commit what is done. Whatever else kills this process, the workers die with it (WorkerSpawner).
        let signals = StopSignals(interrupt: {
            FileHandle.standardError.write(Data("\nsgid precompute: interrupted, finishing the samples under way and committing…\n".utf8))
            job.cancel()
        }, terminate: {
            FileHandle.standardError.write(Data("\nsgid precompute: terminated (SIGTERM), stopping the generator and committing what is done…\n".utf8))
            job.terminate()
        })
        let total = Self.shareCount(source, distributed)
        let bar = ProgressBar(total: total ?? 0, label: "precompute")
        let summary = try job.run(source) { summary in bar.update(summary.generated + summary.skipped + summary.failures.count) }
        bar.finish()
        signals.cancel()
        print(String(format: "%@: %d seen, %d generated, %d skipped (already cached), %d variants dropped by the filter, "
                     + "%d failed, %.1f s%@", signals.terminated ? "terminated" : summary.interrupted ? "interrupted" : "done",
                     summary.seen, summary.generated,
                     summary.skipped, summary.droppedVariants, summary.failures.count, summary.seconds,
                     summary.generated > 0 ? String(format: " (%.2f images/s)", Double(summary.generated) / max(summary.seconds, 1e-9)) : ""))
        for damage in summary.cacheDamage {
            printError("warning: the cache shard had damage, stepped over and left in place (sgid cache verify): \(damage)")
        }
        for (key, message) in summary.failures.sorted(by: { $0.key < $1.key }).prefix(20) { printError("failed \(key): \(message)") }
        if signals.terminated { throw StoppedBySignal(signal: SIGTERM, done: "committed \(summary.generated) record(s)") }
        if !summary.failures.isEmpty { throw CommandFailure("\(summary.failures.count) sample(s) failed") }
    }

    /// This rank's share of the samples, when the source knows its size.
    static func shareCount(_ source: Dataset, _ distributed: DistributedEnvironment) -> Int? {
        guard let count = source.knownCount else { return nil }
        return count / distributed.worldSize + (distributed.rank < count % distributed.worldSize ? 1 : 0)
    }
}
