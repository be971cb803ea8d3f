import CacheShard
import Foundation
import GenerationCache
import SGID
import Testing
import TestSupport

/// `sgid precompute` end to end on the tiny models: records, provenance, determinism, resume, crash, ranks.
@Suite("sgid precompute (diffusers, tiny models)", .serialized)
struct PrecomputeTests {
    let sgid = BuiltProducts.path("sgid")

    func precompute(_ images: String, cache: String, extra: [String] = [], environment: [String: String] = [:],
                    errors: String? = nil) throws -> Process {
        let root = try TinyModels.prepare()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sgid)
        var options: [(String, String)] = [
            ("--cache", cache), ("--generator", "diffusers"), ("--model", root + "/sd"), ("--captioner", root + "/blip"),
            ("--variants", "3"), ("--strength", "0.5,0.75"), ("--guidance", "7.5"), ("--steps", "3"), ("--size", "64x64"),
            ("--batch", "4"), ("--workers", "1"), ("--seed", "11"), ("--python", TinyModels.python),
            ("--worker-script", TinyModels.workerScript),
        ]
        for pair in stride(from: 0, to: extra.count, by: 2) {  // extras override or add options
            options.removeAll { $0.0 == extra[pair] }
            options.append((extra[pair], extra[pair + 1]))
        }
        process.arguments = ["precompute", images] + options.flatMap { [$0.0, $0.1] }
        var env = ProcessInfo.processInfo.environment.filter { !["SLURM_PROCID", "SLURM_NTASKS", "RANK", "WORLD_SIZE", "JOB_COMPLETION_INDEX"].contains($0.key) }
        env["HF_HUB_OFFLINE"] = "1"
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        if let errors, FileManager.default.createFile(atPath: errors, contents: nil) {
            process.standardError = FileHandle(forWritingAtPath: errors)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    func run(_ images: String, cache: String, extra: [String] = [], environment: [String: String] = [:]) throws {
        let process = try precompute(images, cache: cache, extra: extra, environment: environment)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "sgid precompute exited with \(process.terminationStatus)")
    }

    static func records(_ cache: String) throws -> [(entry: IndexEntry, record: CacheRecord)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".sgidc") }.sorted()
        var out: [(IndexEntry, CacheRecord)] = []
        for name in names {
            let reader = try CacheShardReader(path: cache + "/" + name)
            #expect(reader.verify().isClean)
            for entry in reader.index.entries { out.append((entry, try reader.record(of: entry))) }
        }
        return out
    }

    @Test func generatesDeterministicRecordsWithProvenanceAndResumes() throws {
        let directory = try TemporaryDirectory()
        let images = try TinyModels.imageFolder(in: directory)  // 24 images, 3 classes
        try run(images, cache: directory.path("cache"))
        let records = try Self.records(directory.path("cache"))
        #expect(records.count == 24)
        for (entry, record) in records {
            #expect(record.variants.count == 3)
            #expect(record.variants.allSatisfy { $0.width == 64 && $0.height == 64 && $0.channels == 3 && $0.payload.count == 64 * 64 * 3 })
            let provenance = try #require(try JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8)) as? [String: Any])
            let className = String(entry.key.split(separator: "/")[0]).replacingOccurrences(of: "_", with: " ")
            let caption = try #require(provenance["caption"] as? String)
            let prompt = try #require(provenance["prompt"] as? String)
            #expect(prompt.contains(className), "prompt '\(prompt)' lacks the label '\(className)'")
            #expect(!caption.isEmpty && prompt.contains(caption), "prompt '\(prompt)' lacks the caption '\(caption)'")
            for field in ["model", "revision", "negative_prompt", "strength", "guidance", "steps", "scheduler", "created", "settings", "variants"] {
                #expect(provenance[field] != nil, "provenance lacks \(field)")
            }
            let variants = try #require(provenance["variants"] as? [[String: Any]])
            #expect(variants.map { $0["strength"] as? Double } == [0.5, 0.75, 0.5])
            #expect(Set(record.variants.map(\.seed)).count == 3)
        }
        // Same seed, fresh cache → identical bytes.
        try run(images, cache: directory.path("again"))
        let again = try Self.records(directory.path("again"))
        let byKey = Dictionary(uniqueKeysWithValues: records.map { ($0.entry.key, $0.record.variants) })
        for (entry, record) in again { #expect(record.variants == byKey[entry.key], "\(entry.key) differs on a rerun") }
        // A second run over the same cache skips everything.
        let before = try FileManager.default.attributesOfItem(atPath: directory.path("cache/rank-00000-of-00001.sgidc"))[.size] as? Int
        try run(images, cache: directory.path("cache"))
        let after = try FileManager.default.attributesOfItem(atPath: directory.path("cache/rank-00000-of-00001.sgidc"))[.size] as? Int
        #expect(before == after)
        #expect(try Self.records(directory.path("cache")).count == 24)
    }

    /// Waits (at most 2 minutes) until a running precompute has committed `count` records to its shard.
    static func waitForCommitted(_ count: Int, in data: String, while process: Process) {
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            if let reader = try? CacheShardReader(path: data), reader.index.entries.count >= count { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    @Test func killedMidRunThenResumedLosesAndDuplicatesNothing() throws {
        let directory = try TemporaryDirectory()
        let images = try TinyModels.imageFolder(in: directory, perClass: 10)
        let cache = directory.path("cache")
        let data = cache + "/rank-00000-of-00001.sgidc"
        let process = try precompute(images, cache: cache, extra: ["--batch", "2"])
        // Wait until some records are written (past the worker's start-up), then kill it.
        Self.waitForCommitted(4, in: data, while: process)
        #expect(process.isRunning, "the run finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let committed = try CacheShardReader(path: data).index.entries.count
        #expect(committed >= 4 && committed < 30)
        try run(images, cache: cache)
        let records = try Self.records(cache)
        #expect(records.count == 30)
        #expect(Set(records.map(\.entry.key)).count == 30)
    }

    @Test func ctrlCCommitsWhatIsDoneAndStops() throws {
        let directory = try TemporaryDirectory()
        let images = try TinyModels.imageFolder(in: directory, perClass: 10)
        let cache = directory.path("cache")
        let data = cache + "/rank-00000-of-00001.sgidc"
        let process = try precompute(images, cache: cache, extra: ["--batch", "2"])
        Self.waitForCommitted(2, in: data, while: process)
        #expect(process.isRunning, "the run finished before it could be interrupted")
        kill(process.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(60)
        while process.isRunning && Date() < stopBy { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!process.isRunning, "SIGINT did not stop the run")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let reader = try CacheShardReader(path: data)
        #expect(reader.verify().isClean)
        #expect(reader.index.entries.count >= 2 && reader.index.entries.count < 30)
        #expect(reader.index.committedLength == UInt64((try FileManager.default.attributesOfItem(atPath: data)[.size] as? Int) ?? -1))
    }

    @Test(arguments: [
        ("slurm", ["SLURM_PROCID": "R", "SLURM_NTASKS": "2"], [String]()),
        ("torchrun", ["RANK": "R", "WORLD_SIZE": "2"], [String]()),
        ("kubernetes", ["JOB_COMPLETION_INDEX": "R"], ["--world-size", "2"]),
    ])
    func ranksFromEachLauncherCoverTheDatasetWithoutOverlap(style: String, environment: [String: String], extra: [String]) throws {
        let directory = try TemporaryDirectory()
        let images = try TinyModels.imageFolder(in: directory, perClass: 3)
        let cache = directory.path("cache")
        for rank in 0..<2 {
            try run(images, cache: cache, extra: extra + ["--variants", "1"],
                    environment: environment.mapValues { $0 == "R" ? String(rank) : $0 })
        }
        let shards = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".sgidc") }.sorted()
        #expect(shards == ["rank-00000-of-00002.sgidc", "rank-00001-of-00002.sgidc"], "\(style)")
        let keys = try Self.records(cache).map(\.entry.key)
        #expect(keys.count == 9 && Set(keys).count == 9, "\(style): \(keys)")
    }

    @Test func launcherVariablesResolve() throws {
        #expect(try DistributedEnvironment.resolve(rank: nil, worldSize: nil, environment: ["SLURM_PROCID": "3", "SLURM_NTASKS": "8"])
                == DistributedEnvironment(rank: 3, worldSize: 8, origin: "slurm"))
        #expect(try DistributedEnvironment.resolve(rank: nil, worldSize: nil, environment: ["RANK": "1", "WORLD_SIZE": "4"])
                == DistributedEnvironment(rank: 1, worldSize: 4, origin: "torchrun"))
        #expect(try DistributedEnvironment.resolve(rank: nil, worldSize: 5, environment: ["JOB_COMPLETION_INDEX": "4"])
                == DistributedEnvironment(rank: 4, worldSize: 5, origin: "kubernetes"))
        #expect(try DistributedEnvironment.resolve(rank: 2, worldSize: 3, environment: ["RANK": "0", "WORLD_SIZE": "9"]).origin == "flags")
        #expect(throws: GeneratorError.self) { try DistributedEnvironment.resolve(rank: nil, worldSize: nil, environment: ["JOB_COMPLETION_INDEX": "1"]) }
        #expect(throws: GeneratorError.self) { try DistributedEnvironment.resolve(rank: nil, worldSize: nil, environment: ["RANK": "4", "WORLD_SIZE": "4"]) }
        #expect(throws: GeneratorError.self) { try DistributedEnvironment.resolve(rank: nil, worldSize: nil, environment: ["RANK": "x", "WORLD_SIZE": "4"]) }
    }
}
