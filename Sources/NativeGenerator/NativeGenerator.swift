import Augment
import Diffusion
import Foundation
import ImageCodec
import SGID
import Synchronization
import Tensor

/// SGID's embedded generator (`--generator native`): a diffusers model folder (`NativeModelFolder`) run by the native
/// runtime — img2img (SDEdit) with classifier-free guidance on the label's class, on the CPU, no Python. Every
/// (request, seed) is one independent trajectory; `threads` worker threads take them in turn, each with its own UNet
/// executor, and each trajectory's noise is Philox-counter-based on its seed, so a seed gives the same bytes whatever
/// the thread count.
public final class NativeGenerator: ImageGenerator {
    /// The backend options this backend reads.
    public static let optionNames: Set<String> = ["threads", "scheduler"]

    /// The model folder.
    public let folder: NativeModelFolder
    /// Model path, content digest, sampler and settings.
    public let identity: GeneratorIdentity
    /// Class-conditional (or unconditional), the UNet's channels and sample size, sources fitted here.
    public let capabilities: GeneratorCapabilities
    /// Worker threads of a `generate` call.
    public let threads: Int
    let runner: Img2Img
    let fitting: SourceFitting
    let executors: ExecutorPool

    /// Wraps a loaded model folder.
    /// - Parameters:
    ///   - folder: The model.
    ///   - threads: Worker threads (default: active cores).
    /// - Throws: `GeneratorError` when the UNet has no sample size to generate at.
    public init(folder: NativeModelFolder, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(GeneratorError) {
        self.folder = folder
        self.threads = max(1, threads)
        let config = folder.unet.config
        guard let sample = config.sampleSize else {
            throw GeneratorError(.startFailed, "\(folder.path)/unet/config.json has no sample_size to generate at")
        }
        guard [1, 3].contains(config.inChannels), config.outChannels == config.inChannels else {
            throw GeneratorError(.startFailed, "\(folder.path): a pixel-space UNet with 1 or 3 channels in and out is needed "
                                 + "(it has \(config.inChannels) in, \(config.outChannels) out)")
        }
        let size = PixelSize(width: sample.width, height: sample.height)
        runner = Img2Img(model: folder.unet, scheduler: folder.scheduler)
        fitting = SourceFitting(fit: folder.fit, padValue: folder.padValue, size: size, channels: config.inChannels)
        executors = ExecutorPool(model: folder.unet, height: sample.height, width: sample.width)
        capabilities = GeneratorCapabilities(conditioning: config.numClassEmbeds == nil ? .none : .classLabel,
                                             channels: config.inChannels, defaultSize: size, fitsSources: true)
        var details: [String: Any] = [
            "runtime": "sgid-native", "pipeline": "img2img (SDEdit) with classifier-free guidance on class labels",
            "scheduler": folder.scheduler.kind.rawValue, "fit": folder.fit.rawValue, "pad_value": Int(folder.padValue),
            "noise": "philox4x32-10, box-muller", "dtype": "float32",
        ]
        details["scheduler_config"] = (try? JSONSerialization.jsonObject(with: Data(folder.schedulerJSON.utf8))) ?? folder.schedulerJSON
        details["null_class"] = folder.nullClass ?? NSNull()
        let json = (try? JSONSerialization.data(withJSONObject: details, options: [.sortedKeys, .withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        identity = GeneratorIdentity(model: folder.path, revision: folder.digest, detailsJSON: json)
    }

    /// The `native` plugin: loads `options.model` (a model folder) with the backend options `threads` and
    /// `scheduler` (`ddim` or `ddpm`: run the folder's schedule with that sampler).
    /// - Parameter options: The plugin's options.
    /// - Returns: The plugin: the generator, and the folder's `scorer/` classifier as its consistency scorer when
    ///   present (no captioner: class-conditional models do not read captions).
    /// - Throws: `GeneratorError` for unknown options or a folder that cannot be used.
    @Sendable
    public static func plugin(_ options: GeneratorOptions) throws(GeneratorError) -> GeneratorRegistry.Plugin {
        try options.checkBackendOptions(optionNames, backend: "native")
        var kind: SchedulerKind?
        if let name = options.backendOptions["scheduler"] {
            switch name.lowercased() {
            case "ddim": kind = .ddim
            case "ddpm": kind = .ddpm
            default: throw GeneratorError(.invalidArgument, "--scheduler \(name): the native generator runs ddim or ddpm")
            }
        }
        var threads = ProcessInfo.processInfo.activeProcessorCount
        if let text = options.backendOptions["threads"] {
            guard let value = Int(text), (1...1024).contains(value) else {
                throw GeneratorError(.invalidArgument, "--threads expects an integer in 1...1024, got '\(text)'")
            }
            threads = value
        }
        if options.captioner != nil || options.scorer != nil {
            throw GeneratorError(.invalidArgument, "the native generator has no --captioner or --clip (its conditioning is the class label)")
        }
        let folder: NativeModelFolder
        do {
            folder = try NativeModelFolder(path: options.model, schedulerKind: kind)
        } catch {
            throw GeneratorError(.startFailed, error.description)
        }
        var scorer: ClassifierScorer?
        if FileManager.default.fileExists(atPath: options.model + "/scorer/config.json") {
            scorer = try ClassifierScorer(folder: options.model + "/scorer", threads: threads)
        }
        return GeneratorRegistry.Plugin(generator: try NativeGenerator(folder: folder, threads: threads), scorer: scorer)
    }

    /// Registers `native` in a registry (the CLI does this for the shared one).
    /// - Parameter registry: The registry.
    public static func register(in registry: GeneratorRegistry = .shared) { registry.register("native", factory: plugin) }

    /// One prepared request: its model-space source, class and the outcome of each seed.
    private struct Prepared {
        var source: [Float]
        var sourceSize: PixelSize
        var classIndex: Int?
        var error: GeneratorError?
    }

    /// Generates every seed of every request.
    /// - Parameter requests: The requests (`label` picks the class; `prompt` and `outputSize` are not used: variants come
    ///   back at each source's size).
    /// - Returns: One result per request; an unknown label or impossible settings fail that request only.
    /// - Throws: Never for the whole batch (kept for the contract).
    public func generate(_ requests: [GenerationRequest]) throws(GeneratorError) -> [GenerationResult] {
        let size = fitting.size, channels = fitting.channels
        var prepared: [Prepared] = []
        for request in requests {
            var item = Prepared(source: [], sourceSize: PixelSize(width: request.image.width, height: request.image.height), classIndex: nil)
            do throws(DiffusionError) {
                _ = try runner.timesteps(steps: request.steps, strength: request.strength)
                if !folder.classes.isEmpty { item.classIndex = try folder.classIndex(of: request.label) }
                let fitted = fitting.fitted(request.image)
                let map = FeatureMap(height: size.height, width: size.width, channels: channels)
                PixelSpace.normalize(fitted.pixels, into: map)
                item.source = map.array
            } catch {
                item.error = GeneratorError(.invalidArgument, error.description, key: request.key)
            }
            prepared.append(item)
        }
        let jobs = prepared.indices.flatMap { index in
            prepared[index].error == nil ? requests[index].seeds.indices.map { (index, $0) } : []
        }
        let outputs = Mutex<[Int: [Int: Result<Image, GeneratorError>]]>([:])
        let next = Atomic<Int>(0)
        let shared = SharedJobs(requests: requests, prepared: prepared)
        DispatchQueue.concurrentPerform(iterations: min(threads, max(1, jobs.count))) { _ in
            while true {
                let position = next.add(1, ordering: .relaxed).oldValue
                guard position < jobs.count else { return }
                let (request, seed) = jobs[position]
                let result = Result { () throws(GeneratorError) -> Image in try run(shared, request: request, seed: seed) }
                outputs.withLock { $0[request, default: [:]][seed] = result }
            }
        }
        let done = outputs.withLock { $0 }
        return requests.indices.map { index in
            let request = requests[index]
            if let error = prepared[index].error { return GenerationResult(key: request.key, images: [], error: error) }
            var images: [Image] = []
            for seed in request.seeds.indices {
                switch done[index]?[seed] {
                case .success(let image): images.append(image)
                case .failure(let error): return GenerationResult(key: request.key, images: [], error: error)
                case nil: return GenerationResult(key: request.key, images: [], error: GeneratorError(.rejected, "not generated", key: request.key))
                }
            }
            var provenance: [String: JSONValue] = ["conditioning": .string(capabilities.conditioning == .classLabel
                ? "class label (the caption is not used)" : "none (unconditional model)")]
            if let classIndex = prepared[index].classIndex { provenance["class_index"] = .integer(classIndex) }
            return GenerationResult(key: request.key, images: images, provenance: provenance)
        }
    }

    /// The requests and their prepared sources, read by every worker.
    private final class SharedJobs: @unchecked Sendable {
        let requests: [GenerationRequest]
        let prepared: [Prepared]

        init(requests: [GenerationRequest], prepared: [Prepared]) {
            self.requests = requests
            self.prepared = prepared
        }
    }

    /// One trajectory on this worker's executor.
    private func run(_ jobs: SharedJobs, request index: Int, seed position: Int) throws(GeneratorError) -> Image {
        let request = jobs.requests[index], item = jobs.prepared[index]
        let size = fitting.size
        do throws(DiffusionError) {
            let executor = try executors.acquire()
            defer { executors.release(executor) }
            let source = FeatureMap(height: size.height, width: size.width, channels: fitting.channels)
            source.copy(from: item.source)
            let output = FeatureMap(height: size.height, width: size.width, channels: fitting.channels)
            var noise = PhiloxNoise(seed: request.seeds[position])
            try runner.generate(source: source, classLabel: item.classIndex, nullClass: folder.nullClass, guidance: Float(request.guidance),
                                steps: request.steps, strength: request.strength, noise: &noise, executor: executor, output: output)
            let generated = Image(width: size.width, height: size.height, channels: fitting.channels, pixels: PixelSpace.pixels(output))
            return fitting.restored(generated, to: item.sourceSize)
        } catch {
            throw GeneratorError(.rejected, error.description, key: request.key)
        }
    }
}
