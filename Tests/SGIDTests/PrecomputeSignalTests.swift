import CacheShard
import Foundation
import Testing
import TestSupport

/// `sgid precompute` killed with SIGTERM or SIGKILL leaves no worker behind; SIGTERM also commits what is done.
extension PrecomputeTests {
    /// A running precompute over 30 images with two workers, once it has committed records and both workers run.
    func runningWithWorkers(_ directory: TemporaryDirectory) throws -> (process: Process, workers: [Int32], data: String) {
        let images = try TinyModels.imageFolder(in: directory, perClass: 10)
        let cache = directory.path("cache")
        let data = cache + "/rank-00000-of-00001.sgidc"
        let process = try precompute(images, cache: cache, extra: ["--batch", "2", "--workers", "2"], errors: directory.path("stderr"))
        Self.waitForCommitted(2, in: data, while: process)
        let workers = ProcessTable.children(of: process.processIdentifier, containing: "sgid_worker.py")
        #expect(process.isRunning, "the run finished before it could be stopped")
        #expect(workers.count == 2, "workers: \(workers)")
        return (process, workers, data)
    }

    /// Waits at most `timeout` seconds for the process to end.
    static func waitForExit(_ process: Process, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return !process.isRunning
    }

    @Test func sigtermStopsTheWorkersCommitsWhatIsDoneAndExits() throws {
        let directory = try TemporaryDirectory()
        let (process, workers, data) = try runningWithWorkers(directory)
        let start = Date()
        kill(process.processIdentifier, SIGTERM)
        #expect(Self.waitForExit(process, timeout: 20), "SIGTERM did not stop the run")
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 143,
                "\(process.terminationReason) \(process.terminationStatus)")
        #expect(Date().timeIntervalSince(start) < 10, "stopping took \(Date().timeIntervalSince(start)) s")
        #expect(ProcessTable.waitUntilGone(workers, timeout: 5).isEmpty, "a worker survived its parent's SIGTERM")
        let reader = try CacheShardReader(path: data)
        #expect(reader.verify().isClean)
        #expect(reader.index.entries.count >= 2 && reader.index.entries.count < 30)
        #expect(reader.index.committedLength == UInt64((try FileManager.default.attributesOfItem(atPath: data)[.size] as? Int) ?? -1))
        let errors = try String(contentsOfFile: directory.path("stderr"), encoding: .utf8)
        #expect(errors.contains("terminated (SIGTERM)") && errors.contains("stopped by SIGTERM after it committed"), "\(errors)")
        #expect(!errors.contains("failed"), "samples stopped under way were reported as failures: \(errors)")
    }

    @Test func sigkillLeavesNoWorkerBehind() throws {
        let directory = try TemporaryDirectory()
        let (process, workers, _) = try runningWithWorkers(directory)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let survivors = ProcessTable.waitUntilGone(workers, timeout: 5)
        #expect(survivors.isEmpty, "workers outlived kill -9 of their parent: \(survivors)")
        for pid in survivors { kill(pid, SIGKILL) }
    }
}
