import Foundation
import Synchronization

/// Options a generator plugin is built from (the `sgid precompute` flags).
public struct GeneratorOptions: Sendable, Hashable {
    /// The generation model (path or id).
    public var model: String
    /// The captioner model, if any.
    public var captioner: String?
    /// The scoring (CLIP) model, if any.
    public var scorer: String?
    /// Worker processes.
    public var workers: Int
    /// GPU ids to spread workers over (`CUDA_VISIBLE_DEVICES`), empty for CPU.
    public var gpus: [String]
    /// Images per pipeline call inside a worker.
    public var batch: Int
    /// The Python interpreter running the worker.
    public var python: String
    /// The worker program.
    public var workerScript: String
    /// Extra worker arguments.
    public var extraArguments: [String]
    /// Extra environment variables.
    public var environment: [String: String]

    /// Creates options.
    /// - Parameters:
    ///   - model: The generation model.
    ///   - captioner: The captioner model.
    ///   - scorer: The scoring model.
    ///   - workers: Worker processes (default 1).
    ///   - gpus: GPU ids (default none: CPU).
    ///   - batch: Images per pipeline call (default 4).
    ///   - python: The interpreter.
    ///   - workerScript: The worker program.
    ///   - extraArguments: Extra worker arguments.
    ///   - environment: Extra environment variables.
    public init(model: String, captioner: String? = nil, scorer: String? = nil, workers: Int = 1, gpus: [String] = [],
                batch: Int = 4, python: String, workerScript: String, extraArguments: [String] = [],
                environment: [String: String] = [:]) {
        self.model = model
        self.captioner = captioner
        self.scorer = scorer
        self.workers = workers
        self.gpus = gpus
        self.batch = batch
        self.python = python
        self.workerScript = workerScript
        self.extraArguments = extraArguments
        self.environment = environment
    }

    /// One command per worker; with GPUs, worker i sees only GPU `gpus[i % count]`.
    public var workerCommands: [WorkerCommand] {
        (0..<max(1, workers)).map { index in
            var arguments = [workerScript, "--model", model, "--batch", String(batch)]
            if let captioner { arguments += ["--captioner", captioner] }
            if let scorer { arguments += ["--clip", scorer] }
            arguments += ["--device", gpus.isEmpty ? "cpu" : "cuda"] + extraArguments
            var environment = self.environment
            if !gpus.isEmpty { environment["CUDA_VISIBLE_DEVICES"] = gpus[index % gpus.count] }
            return WorkerCommand(executable: python, arguments: arguments, environment: environment)
        }
    }
}

/// Generator plugins by name, so the CLI and pipeline specs pick them (`--generator diffusers`). Users register
/// their own: `GeneratorRegistry.shared.register("mine") { options in MyGenerator(options) }`.
public final class GeneratorRegistry: Sendable {
    /// What a plugin provides.
    public struct Plugin: Sendable {
        /// The generator.
        public let generator: any ImageGenerator
        /// Its captioner, if it has one.
        public let captioner: (any Captioner)?

        /// Creates a plugin instance.
        /// - Parameters:
        ///   - generator: The generator.
        ///   - captioner: The captioner, if any.
        public init(generator: any ImageGenerator, captioner: (any Captioner)?) {
            self.generator = generator
            self.captioner = captioner
        }
    }

    /// Builds a plugin from options.
    public typealias Factory = @Sendable (GeneratorOptions) throws(GeneratorError) -> Plugin

    private let factories = Mutex<[String: Factory]>([:])

    /// The registry the CLI uses, with `diffusers` registered.
    public static let shared: GeneratorRegistry = {
        let registry = GeneratorRegistry()
        registry.register("diffusers") { (options) throws(GeneratorError) -> Plugin in
            let generator = DiffusersGenerator(pool: try WorkerPool(commands: options.workerCommands),
                                               itemsPerRequest: max(1, options.batch))
            return Plugin(generator: generator, captioner: options.captioner == nil ? nil : generator)
        }
        return registry
    }()

    /// Creates an empty registry.
    public init() {}

    /// Registers a plugin.
    /// - Parameters:
    ///   - name: Its name.
    ///   - factory: Builds it.
    public func register(_ name: String, factory: @escaping Factory) { factories.withLock { $0[name] = factory } }

    /// Registered names.
    public var names: [String] { factories.withLock { $0.keys.sorted() } }

    /// Builds a plugin.
    /// - Parameters:
    ///   - name: Its name.
    ///   - options: Its options.
    /// - Returns: The plugin.
    /// - Throws: `.invalidArgument` for an unknown name, or the factory's error.
    public func make(_ name: String, options: GeneratorOptions) throws(GeneratorError) -> Plugin {
        guard let factory = factories.withLock({ $0[name] }) else {
            throw GeneratorError(.invalidArgument, "unknown generator '\(name)' (known: \(names.joined(separator: ", ")))")
        }
        return try factory(options)
    }
}

/// Finds the diffusers worker program and its Python.
public enum WorkerLocator {
    /// `$SGID_WORKER_SCRIPT`, else `Workers/diffusers/sgid_worker.py` in the working directory or above the running
    /// executable (a build in `.build/…` of a clone).
    /// - Returns: The path, or `nil`.
    public static func script() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["SGID_WORKER_SCRIPT"], !explicit.isEmpty { return explicit }
        let relative = "Workers/diffusers/sgid_worker.py"
        var candidates = [FileManager.default.currentDirectoryPath]
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.path)
            directory.deleteLastPathComponent()
        }
        return candidates.map { $0 + "/" + relative }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// `$SGID_WORKER_PYTHON`, else the heavy virtual environment (`$SGID_CACHE` or `~/.cache/sgidkit`, `venv-heavy`).
    /// - Returns: The interpreter path.
    public static func python() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["SGID_WORKER_PYTHON"], !explicit.isEmpty { return explicit }
        let cache = environment["SGID_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache/sgidkit")
        return cache + "/venv-heavy/bin/python"
    }
}
