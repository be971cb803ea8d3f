import Foundation

/// Starts worker processes from one thread that lives as long as the program.
///
/// A worker asks the kernel for SIGTERM when its parent dies (`PR_SET_PDEATHSIG`, Workers/diffusers/parent_watch.py),
/// so that it dies with this program whatever kills it, `kill -9` included. For the kernel, though, a process's parent
/// is the *thread* that spawned it (`Process.run` spawns on the calling thread): a worker started from a Dispatch
/// thread (retired after a few idle seconds) or from a precompute stage's thread would be killed when that thread
/// ends. Spawning every worker from this one thread, which never ends, makes the signal mean what it should: the
/// program is gone.
final class WorkerSpawner: @unchecked Sendable {
    /// The program's spawner.
    static let shared = WorkerSpawner()

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { [self] in serve() }
        thread.name = "sgid-worker-spawner"
        thread.start()
    }

    private func serve() {
        // A spawned process inherits this thread's signal mask, itself inherited from whichever thread first used
        // the spawner (a Dispatch thread blocks nearly every signal): start workers with none blocked, so that
        // SIGTERM and the death signal reach them. (The worker unblocks SIGTERM itself too.)
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    /// A process handed to the spawner thread, and the outcome of starting it.
    private final class Launch: @unchecked Sendable {
        let process: Process
        var failure: (any Error)?
        let done = DispatchSemaphore(value: 0)

        init(_ process: Process) { self.process = process }
    }

    /// Starts a configured process on the spawner thread and waits until it has started or failed to.
    /// - Parameter process: The process, configured and not started.
    /// - Throws: What `Process.run` throws.
    func run(_ process: Process) throws {
        let launch = Launch(process)
        condition.lock()
        jobs.append {
            do {
                try launch.process.run()
            } catch {
                launch.failure = error
            }
            launch.done.signal()
        }
        condition.signal()
        condition.unlock()
        launch.done.wait()
        if let failure = launch.failure { throw failure }
    }
}
