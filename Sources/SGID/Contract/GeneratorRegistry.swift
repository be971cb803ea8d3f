import Foundation
import Synchronization

/// Options a generator plugin is built from (the `sgid precompute` flags). Backend-neutral: what only one backend
/// understands travels in `backendOptions` under its flag name, and that backend reads it.
public struct GeneratorOptions: Sendable, Hashable {
    /// The generation model (a folder or a model id).
    public var model: String
    /// The captioner model, if any.
    public var captioner: String?
    /// The scoring model, if any (backends that ship their scorer with the model ignore it).
    public var scorer: String?
    /// Generator instances working in parallel (worker processes; native threads).
    public var workers: Int
    /// Images per backend call.
    public var batch: Int
    /// Backend-specific options by flag name (`python`, `worker-script`, `gpus` for the diffusers worker; `threads`
    /// for the native runtime); a backend refuses names it does not know.
    public var backendOptions: [String: String]

    /// Creates options.
    /// - Parameters:
    ///   - model: The generation model.
    ///   - captioner: The captioner model.
    ///   - scorer: The scoring model.
    ///   - workers: Parallel instances (default 1).
    ///   - batch: Images per call (default 4).
    ///   - backendOptions: Backend-specific options.
    public init(model: String, captioner: String? = nil, scorer: String? = nil, workers: Int = 1, batch: Int = 4,
                backendOptions: [String: String] = [:]) {
        self.model = model
        self.captioner = captioner
        self.scorer = scorer
        self.workers = max(1, workers)
        self.batch = max(1, batch)
        self.backendOptions = backendOptions
    }

    /// Refuses backend options a backend does not read.
    /// - Parameters:
    ///   - known: The names the backend reads.
    ///   - backend: The backend's name, for the message.
    /// - Throws: `.invalidArgument` naming the first unknown option.
    public func checkBackendOptions(_ known: Set<String>, backend: String) throws(GeneratorError) {
        if let unknown = backendOptions.keys.sorted().first(where: { !known.contains($0) }) {
            throw GeneratorError(.invalidArgument, "the \(backend) generator has no option --\(unknown)"
                                 + (known.isEmpty ? "" : " (its options: " + known.sorted().map { "--" + $0 }.joined(separator: ", ") + ")"))
        }
    }
}

/// Generator plugins by name, so the CLI and pipeline specs pick them (`--generator diffusers`). Users register
/// their own: `GeneratorRegistry.shared.register("mine") { options in Plugin(generator: MyGenerator(options)) }`.
public final class GeneratorRegistry: Sendable {
    /// What a plugin provides.
    public struct Plugin: Sendable {
        /// The generator.
        public let generator: any ImageGenerator
        /// Its captioner, if it has one.
        public let captioner: (any Captioner)?
        /// Its consistency scorer, if it has one.
        public let scorer: (any ConsistencyScorer)?

        /// Creates a plugin instance.
        /// - Parameters:
        ///   - generator: The generator.
        ///   - captioner: The captioner, if any.
        ///   - scorer: The scorer, if any.
        public init(generator: any ImageGenerator, captioner: (any Captioner)? = nil, scorer: (any ConsistencyScorer)? = nil) {
            self.generator = generator
            self.captioner = captioner
            self.scorer = scorer
        }
    }

    /// Builds a plugin from options.
    public typealias Factory = @Sendable (GeneratorOptions) throws(GeneratorError) -> Plugin

    private let factories = Mutex<[String: Factory]>([:])

    /// The registry the CLI uses, with `diffusers` registered (the CLI adds `native`).
    public static let shared: GeneratorRegistry = {
        let registry = GeneratorRegistry()
        registry.register("diffusers", factory: WorkerGenerator.plugin)
        return registry
    }()

    /// Creates an empty registry.
    public init() {}

    /// Registers a plugin (replacing one of the same name).
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
