import Synchronization

/// The pool's running worker processes, reachable without waiting for a request under way (each worker's slot is
/// locked for the whole request), and whether the pool was stopped: what `WorkerPool.terminate()` needs from a signal
/// handler's thread.
final class LiveWorkers: Sendable {
    private struct State {
        var connections: [WorkerConnection?]
        var stopped = false
    }

    private let state: Mutex<State>

    /// Creates an empty table.
    /// - Parameter count: Workers in the pool.
    init(count: Int) { state = Mutex(State(connections: Array(repeating: nil, count: count))) }

    /// Records worker `index`'s new process; a pool already stopped stops it at once.
    /// - Parameters:
    ///   - connection: The started process (before its handshake, which then fails fast when stopped).
    ///   - index: The worker's place in the pool.
    /// - Returns: Whether the pool was stopped (the process was sent SIGTERM).
    @discardableResult
    func started(_ connection: WorkerConnection, at index: Int) -> Bool {
        let stopped = state.withLock { state in
            state.connections[index] = connection
            return state.stopped
        }
        if stopped { connection.terminate() }
        return stopped
    }

    /// Forgets worker `index`'s process (it was killed and reaped).
    /// - Parameter index: The worker's place in the pool.
    func ended(at index: Int) { state.withLock { $0.connections[index] = nil } }

    /// Marks the pool stopped and sends every running worker SIGTERM.
    func stop() {
        let running = state.withLock { state in
            state.stopped = true
            return state.connections
        }
        for connection in running { connection?.terminate() }
    }

    /// Whether `stop()` was called.
    var isStopped: Bool { state.withLock { $0.stopped } }

    /// The process id of each worker, -1 where none runs.
    var processIdentifiers: [Int32] { state.withLock { $0.connections.map { $0?.processIdentifier ?? -1 } } }
}
