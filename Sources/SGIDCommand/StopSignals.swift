import Foundation
import Synchronization

/// SIGINT and SIGTERM turned from sudden death into requests a long command answers: Ctrl-C (SIGINT) asks it to
/// finish what is under way and commit it; SIGTERM (what `kill`, Slurm, Kubernetes and systemd send) asks it to stop
/// now, committing what is done. Installed for the duration of the work, then `cancel()`led. (`@unchecked`: the
/// sources are only set in `init`.)
final class StopSignals: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let terminatedFlag = Atomic<Bool>(false)

    /// Installs the handlers (run on a Dispatch queue, so they may take locks and call into the work).
    /// - Parameters:
    ///   - interrupt: Called on each SIGINT.
    ///   - terminate: Called on each SIGTERM.
    init(interrupt: @escaping @Sendable () -> Void, terminate: @escaping @Sendable () -> Void) {
        for (number, handler) in [(SIGINT, interrupt), (SIGTERM, terminate)] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            signal(number, SIG_IGN)
            source.setEventHandler { [weak self] in
                if number == SIGTERM { self?.terminatedFlag.store(true, ordering: .relaxed) }
                handler()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether SIGTERM arrived.
    var terminated: Bool { terminatedFlag.load(ordering: .relaxed) }

    /// Stops listening (the signals stay ignored: the work is over, the program is about to exit).
    func cancel() {
        for source in sources { source.cancel() }
    }

    deinit { cancel() }
}
