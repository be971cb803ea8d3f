import Foundation
import Synchronization

/// One worker's place in the pool: its connection, replaced when it fails, and why it was dropped.
private final class WorkerSlot: @unchecked Sendable {
    private let lock = NSLock()
    /// The worker; `nil` after it failed, until the next request restarts it. Guarded by `lock`.
    var connection: WorkerConnection?
    /// Why the last worker was dropped, said when it is restarted. Guarded by `lock`.
    var failure: (pid: Int32?, reason: String)?

    init(_ connection: WorkerConnection) { self.connection = connection }

    /// Runs `body` with exclusive access to the slot.
    func locked<R>(_ body: (WorkerSlot) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(self)
    }
}

/// N worker processes (e.g. one per GPU) serving requests concurrently. A worker that dies, times out or breaks the
/// protocol is killed and restarted (a line on standard error says which and why), and its request retried a bounded
/// number of times. Workers die with the program whatever kills it (`WorkerSpawner`); `terminate()` stops them at once.
public final class WorkerPool: Sendable {
    private let commands: [WorkerCommand]
    private let connections: [WorkerSlot]
    private let live: LiveWorkers
    private let idle: Mutex<[Int]>
    private let available = NSCondition()
    private let nextID = Atomic<Int>(1)
    private let restarts = Atomic<Int>(0)
    private let log: @Sendable (String) -> Void
    /// Attempts per request (1 + retries).
    public let maxAttempts: Int
    /// The first worker's `ready` handshake header, as JSON text (what changes outputs).
    public let handshakeJSON: String

    /// Writes a line to standard error (the default `log`).
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Starts the workers (in parallel) and performs their handshakes.
    /// - Parameters:
    ///   - commands: One command per worker (e.g. with different `CUDA_VISIBLE_DEVICES`).
    ///   - retries: Extra attempts for a request whose worker failed (default 2).
    ///   - log: Where a restart is reported, one line each (default standard error).
    /// - Throws: `.startFailed` naming the worker that did not start.
    public init(commands: [WorkerCommand], retries: Int = 2,
                log: @escaping @Sendable (String) -> Void = WorkerPool.standardError) throws(GeneratorError) {
        guard !commands.isEmpty else { throw GeneratorError(.invalidArgument, "a worker pool needs at least one worker") }
        self.commands = commands
        self.log = log
        maxAttempts = 1 + max(0, retries)
        let live = LiveWorkers(count: commands.count)
        let started = Mutex<[Result<WorkerConnection, GeneratorError>?]>(Array(repeating: nil, count: commands.count))
        DispatchQueue.concurrentPerform(iterations: commands.count) { index in
            let result = Result { () throws(GeneratorError) -> WorkerConnection in
                try Self.start(commands[index], index: index, live: live)
            }
            started.withLock { $0[index] = result }
        }
        var connections: [WorkerSlot] = []
        var failure: GeneratorError?
        for result in started.withLock({ $0 }) {
            switch result! {
            case .success(let connection): connections.append(WorkerSlot(connection))
            case .failure(let error): failure = failure ?? error
            }
        }
        if let failure {
            for slot in connections { slot.connection?.kill() }
            throw failure
        }
        self.connections = connections
        self.live = live
        idle = Mutex(Array(0..<commands.count))
        let ready = connections[0].locked { $0.connection?.ready ?? [:] }
        let data = (try? JSONSerialization.data(withJSONObject: ready, options: [.sortedKeys])) ?? Data()
        handshakeJSON = String(decoding: data, as: UTF8.self)
    }

    /// Starts worker `index` and performs its handshake, recording it in `live` in between (so that `terminate()`
    /// reaches a worker still loading its models).
    private static func start(_ command: WorkerCommand, index: Int, live: LiveWorkers) throws(GeneratorError) -> WorkerConnection {
        let connection = try WorkerConnection(command: command, name: "worker-\(index)")
        let stopped = live.started(connection, at: index)
        do throws(GeneratorError) {
            try connection.handshake()
        } catch {
            live.ended(at: index)
            throw stopped ? GeneratorError(.stopped, "the workers were stopped") : error
        }
        return connection
    }

    /// Workers in the pool.
    public var count: Int { commands.count }

    /// How many times a worker was restarted after failing.
    public var restartCount: Int { restarts.load(ordering: .relaxed) }

    private func acquire() -> Int {
        available.lock()
        defer { available.unlock() }
        while true {
            if let index = idle.withLock({ $0.popLast() }) { return index }
            available.wait()
        }
    }

    private func release(_ index: Int) {
        available.lock()
        idle.withLock { $0.append(index) }
        available.signal()
        available.unlock()
    }

    /// Sends a request to a free worker and returns its answer, restarting and retrying on worker failure.
    /// - Parameter make: Builds the request frame given a fresh request id.
    /// - Returns: The answer.
    /// - Throws: `.rejected` when the worker refused the request (not retried), `.stopped` once `terminate()` was
    ///   called, or the last failure after all attempts.
    public func request(_ make: (Int) -> WorkerFrame) throws(GeneratorError) -> WorkerFrame {
        var lastError = GeneratorError(.workerDied, "no attempt made")
        for _ in 0..<maxAttempts {
            guard !live.isStopped else { throw GeneratorError(.stopped, "the workers were stopped") }
            let index = acquire()
            defer { release(index) }
            let id = nextID.add(1, ordering: .relaxed).oldValue
            let outcome: Result<WorkerFrame, GeneratorError> = connections[index].locked { slot in
                do throws(GeneratorError) {
                    try restartIfNeeded(slot, index: index)
                    return .success(try slot.connection!.request(make(id)))
                } catch {
                    if error.kind != .rejected {  // the worker is unusable (or did not restart): drop it
                        var reason = error.description.split(separator: "\n").first.map(String.init) ?? error.kind.rawValue
                        let pid = slot.connection?.processIdentifier
                        if let kept = slot.connection?.kill(keepingLog: true) { reason += " (its log: \(kept))" }
                        slot.failure = (pid, reason)
                        slot.connection = nil
                        live.ended(at: index)
                    }
                    return .failure(error)
                }
            }
            switch outcome {
            case .success(let frame): return frame
            case .failure(let error):
                if error.kind == .rejected || error.kind == .invalidArgument || error.kind == .stopped { throw error }
                if live.isStopped { throw GeneratorError(.stopped, "the workers were stopped (\(error.description))") }
                restarts.add(1, ordering: .relaxed)
                lastError = error
            }
        }
        throw GeneratorError(lastError.kind, "failed after \(maxAttempts) attempt(s): \(lastError.message)")
    }

    /// Starts a new worker in a slot whose worker failed or exited since the last request, saying so on the log.
    private func restartIfNeeded(_ slot: WorkerSlot, index: Int) throws(GeneratorError) {
        if let connection = slot.connection, connection.isRunning { return }
        if let connection = slot.connection {  // exited between requests
            let kept = connection.kill(keepingLog: true)
            slot.failure = (connection.processIdentifier, "it \(connection.exitDescription ?? "exited") between requests"
                            + (kept.map { " (its log: \($0))" } ?? ""))
            slot.connection = nil
            live.ended(at: index)
        }
        guard !live.isStopped else { throw GeneratorError(.stopped, "the workers were stopped") }
        let (pid, reason) = slot.failure ?? (nil, "it was not running")
        log("sgid: restarting generator worker \(index)\(pid.map { " (pid \($0))" } ?? ""): \(reason)")
        slot.connection = try Self.start(commands[index], index: index, live: live)
        slot.failure = nil
    }

    /// The process ids of the workers now running, -1 for a worker that failed and is not restarted yet (for tests
    /// that kill workers).
    public var processIdentifiers: [Int32] { live.processIdentifiers }

    /// Stops every worker now, from any thread (a SIGTERM handler's): each is sent SIGTERM, which ends it at once (it
    /// installs no handler); requests under way and later ones fail with `.stopped`, and no worker is restarted.
    /// `shutdown()` still reaps them.
    public func terminate() { live.stop() }

    /// Shuts every worker down, all at once (each may take a moment to exit).
    public func shutdown() {
        DispatchQueue.concurrentPerform(iterations: connections.count) { index in
            connections[index].locked { slot in
                slot.connection?.shutdown()
                slot.connection = nil
                live.ended(at: index)
            }
        }
    }

    deinit { shutdown() }
}
