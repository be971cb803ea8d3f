import Foundation
import SGID
import Synchronization
import Testing
import TestSupport

/// Worker lifetime: workers die with their client (PR_SET_PDEATHSIG, armed against the right thread), and
/// `terminate()` stops them at once.
extension WorkerPoolTests {
    @Test func aWorkerOutlivesTheThreadThatStartedIt() throws {
        // The kernel's PR_SET_PDEATHSIG "parent" is the thread that spawned the worker: started from a thread that then
        // ends, the worker would be killed with it were it not spawned from WorkerSpawner's lasting thread.
        let made = Mutex<Result<WorkerGenerator, any Error>?>(nil)
        Thread.detachNewThread {
            let result = Result { () throws -> WorkerGenerator in try TinyModels.generator(captioner: false) }
            made.withLock { $0 = result }
        }
        let deadline = Date().addingTimeInterval(120)
        while made.withLock({ $0 == nil }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let generator = try #require(try made.withLock { $0 }?.get())
        defer { generator.shutdown() }
        Thread.sleep(forTimeInterval: 1)  // the starting thread has ended by now
        let pid = generator.pool.processIdentifiers[0]
        #expect(ProcessTable.isAlive(pid), "the worker died with the thread that started it")
        let results = try generator.generate([Self.request("k", seeds: [1])])
        #expect(results[0].error == nil)
        #expect(generator.pool.restartCount == 0 && generator.pool.processIdentifiers[0] == pid)
    }

    @Test func terminateStopsTheWorkersAtOnceAndRefusesMoreRequests() throws {
        let log = Mutex<[String]>([])
        let generator = try TinyModels.generator(workers: 2, captioner: false, itemsPerRequest: 1) { line in
            log.withLock { $0.append(line) }
        }
        defer { generator.shutdown() }
        let workers = generator.pool.processIdentifiers
        #expect(workers.allSatisfy(ProcessTable.isAlive))
        // Two long requests, one per worker, stopped while the workers compute them.
        let long = [Self.request("a", seeds: Array(0..<8), steps: 50), Self.request("b", seeds: Array(8..<16), steps: 50)]
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { generator.terminate() }
        let start = ContinuousClock.now
        for attempt in ["under way", "after terminate()"] {
            do {
                _ = try generator.generate(long)
                Issue.record("the request \(attempt) was served")
            } catch {
                #expect(error.kind == .stopped, "\(attempt): \(error)")
            }
        }
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(ProcessTable.waitUntilGone(workers, timeout: 5).isEmpty, "a worker survived SIGTERM")
        #expect(generator.pool.processIdentifiers == [-1, -1])
        #expect(log.withLock { $0 }.isEmpty, "a stopped pool restarted a worker: \(log.withLock { $0 })")
    }
}
