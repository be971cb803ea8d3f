import Foundation
import Synchronization

/// One worker's place in the pool: its connection, replaced when it fails.
private final class WorkerSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: WorkerConnection?

    init(_ connection: WorkerConnection) { self.connection = connection }

    /// Runs `body` with exclusive access to the connection.
    func with<R>(_ body: (inout WorkerConnection?) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&connection)
    }
}

/// N worker processes (e.g. one per GPU) serving requests concurrently. A worker that dies, times out or breaks the
/// protocol is killed and restarted, and its request retried a bounded number of times.
public final class WorkerPool: Sendable {
    private let commands: [WorkerCommand]
    private let connections: [WorkerSlot]
    private let idle: Mutex<[Int]>
    private let available = NSCondition()
    private let nextID = Atomic<Int>(1)
    private let restarts = Atomic<Int>(0)
    /// Attempts per request (1 + retries).
    public let maxAttempts: Int
    /// The first worker's `ready` handshake header, as JSON text (what changes outputs).
    public let handshakeJSON: String

    /// Starts the workers (in parallel) and performs their handshakes.
    /// - Parameters:
    ///   - commands: One command per worker (e.g. with different `CUDA_VISIBLE_DEVICES`).
    ///   - retries: Extra attempts for a request whose worker failed (default 2).
    /// - Throws: `.startFailed` naming the worker that did not start.
    public init(commands: [WorkerCommand], retries: Int = 2) throws(GeneratorError) {
        guard !commands.isEmpty else { throw GeneratorError(.invalidArgument, "a worker pool needs at least one worker") }
        self.commands = commands
        maxAttempts = 1 + max(0, retries)
        let started = Mutex<[Result<WorkerConnection, GeneratorError>?]>(Array(repeating: nil, count: commands.count))
        DispatchQueue.concurrentPerform(iterations: commands.count) { index in
            let result = Result { () throws(GeneratorError) -> WorkerConnection in
                try WorkerConnection(command: commands[index], name: "worker-\(index)")
            }
            started.withLock { $0[index] = result }
        }
        var connections: [WorkerSlot] = []
        for result in started.withLock({ $0 }) {
            switch result! {
            case .success(let connection): connections.append(WorkerSlot(connection))
            case .failure(let error): throw error
            }
        }
        self.connections = connections
        idle = Mutex(Array(0..<commands.count))
        let ready = connections[0].with { $0?.ready ?? [:] }
        let data = (try? JSONSerialization.data(withJSONObject: ready, options: [.sortedKeys])) ?? Data()
        handshakeJSON = String(decoding: data, as: UTF8.self)
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
    /// - Throws: `.rejected` when the worker refused the request (not retried), or the last failure after all attempts.
    public func request(_ make: (Int) -> WorkerFrame) throws(GeneratorError) -> WorkerFrame {
        var lastError = GeneratorError(.workerDied, "no attempt made")
        for _ in 0..<maxAttempts {
            let index = acquire()
            defer { release(index) }
            let id = nextID.add(1, ordering: .relaxed).oldValue
            let outcome: Result<WorkerFrame, GeneratorError> = connections[index].with { slot in
                do throws(GeneratorError) {
                    if slot == nil || !(slot!.isRunning) {
                        slot?.kill()
                        slot = try WorkerConnection(command: commands[index], name: "worker-\(index)")
                    }
                    return .success(try slot!.request(make(id)))
                } catch {
                    if error.kind != .rejected {
                        slot?.kill()
                        slot = nil
                    }
                    return .failure(error)
                }
            }
            switch outcome {
            case .success(let frame): return frame
            case .failure(let error):
                if error.kind == .rejected || error.kind == .invalidArgument { throw error }
                restarts.add(1, ordering: .relaxed)
                lastError = error
            }
        }
        throw GeneratorError(lastError.kind, "failed after \(maxAttempts) attempt(s): \(lastError.message)")
    }

    /// The process ids of the workers now running (for tests that kill workers).
    public var processIdentifiers: [Int32] {
        connections.map { $0.with { $0?.processIdentifier ?? -1 } }
    }

    /// Shuts every worker down, all at once (each may take a moment to exit).
    public func shutdown() {
        DispatchQueue.concurrentPerform(iterations: connections.count) { index in
            connections[index].with { slot in
                slot?.shutdown()
                slot = nil
            }
        }
    }

    deinit { shutdown() }
}
