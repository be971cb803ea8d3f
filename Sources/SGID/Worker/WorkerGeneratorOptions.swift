import Foundation

/// What only the worker backend needs: the program to run, where, and on which GPUs. Read from
/// `GeneratorOptions.backendOptions` (`--python`, `--worker-script`, `--gpus`), with defaults from `WorkerLocator`.
public struct WorkerGeneratorOptions: Sendable, Hashable {
    /// The backend option names this backend reads.
    public static let optionNames: Set<String> = ["python", "worker-script", "gpus"]

    /// The Python interpreter running the worker.
    public var python: String
    /// The worker program.
    public var workerScript: String
    /// GPU ids to spread workers over (`CUDA_VISIBLE_DEVICES`), empty for CPU.
    public var gpus: [String]
    /// Extra worker arguments.
    public var extraArguments: [String]
    /// Extra environment variables.
    public var environment: [String: String]

    /// Creates options.
    /// - Parameters:
    ///   - python: The interpreter.
    ///   - workerScript: The worker program.
    ///   - gpus: GPU ids (default none: CPU).
    ///   - extraArguments: Extra worker arguments.
    ///   - environment: Extra environment variables.
    public init(python: String, workerScript: String, gpus: [String] = [], extraArguments: [String] = [],
                environment: [String: String] = [:]) {
        self.python = python
        self.workerScript = workerScript
        self.gpus = gpus
        self.extraArguments = extraArguments
        self.environment = environment
    }

    /// Reads the worker options from a plugin's options.
    /// - Parameter options: The plugin's options.
    /// - Throws: `.invalidArgument` for an option this backend does not read, `.startFailed` when no worker program
    ///   is found.
    public init(_ options: GeneratorOptions) throws(GeneratorError) {
        try options.checkBackendOptions(Self.optionNames, backend: "diffusers")
        guard let script = options.backendOptions["worker-script"] ?? WorkerLocator.script() else {
            throw GeneratorError(.startFailed, "cannot find Workers/diffusers/sgid_worker.py; pass --worker-script PATH or set SGID_WORKER_SCRIPT")
        }
        self.init(python: options.backendOptions["python"] ?? WorkerLocator.python(), workerScript: script,
                  gpus: options.backendOptions["gpus"].map { $0.split(separator: ",").map(String.init) } ?? [],
                  environment: ["HF_HUB_OFFLINE": ProcessInfo.processInfo.environment["HF_HUB_OFFLINE"] ?? "0"])
    }

    /// One command per worker; with GPUs, worker i sees only GPU `gpus[i % count]`.
    /// - Parameter options: The plugin's options (model, captioner, scorer, workers, batch).
    /// - Returns: The commands.
    public func commands(for options: GeneratorOptions) -> [WorkerCommand] {
        (0..<max(1, options.workers)).map { index in
            var arguments = [workerScript, "--model", options.model, "--batch", String(options.batch)]
            if let captioner = options.captioner { arguments += ["--captioner", captioner] }
            if let scorer = options.scorer { arguments += ["--clip", scorer] }
            arguments += ["--device", gpus.isEmpty ? "cpu" : "cuda"] + extraArguments
            var environment = self.environment
            if !gpus.isEmpty { environment["CUDA_VISIBLE_DEVICES"] = gpus[index % gpus.count] }
            return WorkerCommand(executable: python, arguments: arguments, environment: environment)
        }
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
        return checkoutPath("Workers/diffusers/sgid_worker.py")
    }

    /// A file or folder of the SGIDKit checkout: looked up from the current directory, then from the executable's
    /// folder and up to five of its parents (`.build/release/sgid` sits three levels under the checkout).
    /// - Parameter relative: The path inside the checkout (`Models/fashion-mnist-ddpm`).
    /// - Returns: The first existing path, or `nil`.
    public static func checkoutPath(_ relative: String) -> String? {
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
