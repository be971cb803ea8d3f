/// How to start one generator worker process.
public struct WorkerCommand: Sendable, Hashable {
    /// The program (absolute path), e.g. a virtual environment's `python`.
    public var executable: String
    /// Its arguments, e.g. `["Workers/diffusers/sgid_worker.py", "--model", "…"]`.
    public var arguments: [String]
    /// Variables added to the inherited environment (`CUDA_VISIBLE_DEVICES`, `HF_HUB_OFFLINE`, …).
    public var environment: [String: String]
    /// Longest wait for the handshake (model loading).
    public var startupTimeout: Duration
    /// Longest wait for any response after the handshake.
    public var requestTimeout: Duration

    /// Creates a command.
    /// - Parameters:
    ///   - executable: The program.
    ///   - arguments: Its arguments.
    ///   - environment: Extra environment variables.
    ///   - startupTimeout: Handshake deadline (default 10 min).
    ///   - requestTimeout: Response deadline (default 30 min).
    public init(executable: String, arguments: [String], environment: [String: String] = [:],
                startupTimeout: Duration = .seconds(600), requestTimeout: Duration = .seconds(1800)) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.startupTimeout = startupTimeout
        self.requestTimeout = requestTimeout
    }
}
