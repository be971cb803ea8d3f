import Foundation
import Testing
import TestSupport

/// The diffusers worker against the protocol's executable reference (`Tests/Peers/worker_smoke.py`, version 2):
/// handshake, captions, generation, scores, determinism, item and request errors, refusals.
@Suite("Generator worker protocol reference (diffusers, tiny models)", .serialized)
struct WorkerProtocolTests {
    @Test func theWorkerPassesEveryCheckOfTheReference() throws {
        _ = try TinyModels.prepare()
        let script = PeerPython.repositoryRoot.appendingPathComponent("Tests/Peers/worker_smoke.py").path
        let run = try ProgramRun.run(TinyModels.python, [script, "--models", TinyModels.directory])
        let summary = run.output.split(separator: "\n").last.map(String.init) ?? ""
        let failures = run.output.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(run.status == 0 && summary.hasSuffix(" passed, 0 failed"), "\(failures.joined(separator: "\n"))\n\(run.errors.suffix(2000))")
        print("worker protocol reference: \(summary)")
    }
}
