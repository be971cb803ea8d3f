import Foundation
import ImageCodec
import SGID
import Synchronization
import Testing
import TestSupport

/// The Swift client against the real diffusers worker on tiny local models.
@Suite("Generator worker pool (diffusers, tiny models)", .serialized)
struct WorkerPoolTests {
    static func request(_ key: String, seeds: [UInt64], steps: Int = 4) -> GenerationRequest {
        GenerationRequest(key: key, image: TinyModels.photo(3, width: 64, height: 64), label: "cat", prompt: "a photo of a cat, sitting",
                          strength: 0.6, guidance: 7.5, steps: steps, seeds: seeds, outputSize: PixelSize(width: 64, height: 64))
    }

    @Test func handshakeCaptionAndDeterministicGeneration() throws {
        let generator = try TinyModels.generator(itemsPerRequest: 4)
        defer { generator.shutdown() }
        #expect(generator.capabilities == GeneratorCapabilities(conditioning: .text, channels: 3, captions: true, scoring: false))
        #expect(generator.identity.model.hasSuffix("/sd"))
        #expect(generator.identity.detailsJSON.contains("Scheduler"))
        #expect(generator.captionerIdentity.model.hasSuffix("/blip"))
        let captions = try generator.caption([("a", TinyModels.photo(1)), ("b", TinyModels.photo(2))])
        #expect(captions.count == 2)
        #expect(try captions.allSatisfy { !(try $0.get()).isEmpty })
        let first = try generator.generate([Self.request("k1", seeds: [1, 2, 3]), Self.request("k2", seeds: [9])])
        let second = try generator.generate([Self.request("k1", seeds: [1, 2, 3]), Self.request("k2", seeds: [9])])
        #expect(first.map(\.images.count) == [3, 1])
        for (a, b) in zip(first, second) {
            #expect(a.error == nil)
            #expect(a.images == b.images)
            #expect(a.images.allSatisfy { $0.width == 64 && $0.height == 64 && $0.channels == 3 })
        }
        #expect(first[0].images[0] != first[0].images[1])  // seeds differ → images differ
    }

    @Test func aWorkerKilledMidBatchIsRestartedAndTheBatchRetried() throws {
        let log = Mutex<[String]>([])
        let generator = try TinyModels.generator(captioner: false) { line in log.withLock { $0.append(line) } }
        let pool = generator.pool
        defer { generator.shutdown() }
        // A request long enough (8 variants × 30 denoising steps) that the kill lands while the worker computes it.
        let long = Self.request("k", seeds: Array(10..<18), steps: 50)
        let start = ContinuousClock.now
        let reference = try generator.generate([long])
        let duration = ContinuousClock.now - start
        let victim = pool.processIdentifiers[0]
        let delay = max(0.05, min(0.5, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) / 4)
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { kill(victim, SIGKILL) }
        let retried = try generator.generate([long])
        #expect(pool.restartCount >= 1, "the kill (after \(delay) s of a \(duration) request) did not land mid-request")
        #expect(pool.processIdentifiers[0] != victim)
        #expect(retried[0].images == reference[0].images)
        // Each restart says so on the log, with the worker and why.
        #expect(log.withLock { $0 }.first?.hasPrefix("sgid: restarting generator worker 0 (pid \(victim)): workerDied") == true,
                "\(log.withLock { $0 })")
        // A worker that died between requests is restarted on the next one.
        let second = pool.processIdentifiers[0]
        kill(second, SIGKILL)
        Thread.sleep(forTimeInterval: 0.2)
        let after = try generator.generate([Self.request("k", seeds: [5])])
        #expect(after[0].error == nil && pool.processIdentifiers[0] != second)
        let last = log.withLock { $0 }.last ?? ""
        #expect(last.hasPrefix("sgid: restarting generator worker 0 (pid \(second)): it was killed by signal 9 between requests"), "\(last)")
        // A failed worker's log (its traceback, when it wrote one) is kept and named, not deleted with it.
        for line in log.withLock({ $0 }) {
            guard let range = line.range(of: "(its log: ") else { continue }
            let path = String(line[range.upperBound...].dropLast())
            #expect(FileManager.default.fileExists(atPath: path), "\(line)")
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    @Test func aWorkerThatCannotStartIsReportedWithItsLog() throws {
        var options = try TinyModels.options(workers: 1, captioner: false)
        options.model = "/nonexistent/model"
        do {
            _ = try WorkerPool(commands: TinyModels.commands(options))
            Issue.record("a worker with a missing model started")
        } catch {
            #expect(error.kind == .startFailed)
            #expect(error.message.contains("worker log"))
        }
    }

    @Test func perItemErrorsDoNotFailTheBatch() throws {
        let generator = try TinyModels.generator(captioner: false)
        defer { generator.shutdown() }
        var bad = Self.request("bad", seeds: [1])
        bad.outputSize = PixelSize(width: 63, height: 63)  // not a multiple of the VAE factor
        let results = try generator.generate([Self.request("good", seeds: [1]), bad])
        #expect(results[0].error == nil && results[0].images.count == 1)
        #expect(results[1].error?.kind == .rejected)
        #expect(results[1].error?.key == "bad")
    }

    @Test func scoresAreCosinesBatchedByLabelPromptAndAWorkerWithoutAScorerRefuses() throws {
        let generator = try TinyModels.generator(batch: 2, captioner: false, scorer: true, itemsPerRequest: 2)
        defer { generator.shutdown() }
        #expect(generator.capabilities.scoring && generator.scorerIdentity.model.hasSuffix("/clip"))
        let images = (0..<3).map { TinyModels.photo($0, width: 64, height: 64) }
        let requests = images.enumerated().map { ScoreRequest(key: "k\($0.offset)", image: $0.element, label: "cat", labelPrompt: "a photo of a cat") }
            + [ScoreRequest(key: "dog", image: images[0], label: "dog", labelPrompt: "a photo of a dog")]
        let scores = try generator.score(requests).map { try $0.get() }
        #expect(scores.count == 4 && scores.allSatisfy { (-1.0001...1.0001).contains($0) })
        #expect(scores[0] != scores[3], "the label prompt changes the score")
        let alone = try generator.score([requests[1]]).map { try $0.get() }
        #expect(abs(alone[0] - scores[1]) < 1e-4)
        #expect(try generator.score(requests).map { try $0.get() } == scores, "scores are deterministic")
        let plain = try TinyModels.generator(captioner: false)
        defer { plain.shutdown() }
        #expect(!plain.capabilities.scoring)
        #expect(throws: GeneratorError.self) { try plain.score([requests[0]]) }
    }
}
