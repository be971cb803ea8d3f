import CacheShard
import Foundation
import Testing
import TestSupport

/// Caches written before the consistency policy moved from the diffusers worker into Swift (protocol 1, commit
/// 410bcb9; `Fixtures/worker-protocol-1/README.md`) still hit, and a fresh run writes the same records.
@Suite("Caches of the protocol-1 worker path", .serialized)
struct LegacyCacheTests {
    static let fixtures = PeerPython.repositoryRoot.appendingPathComponent("Tests/SGIDTests/Fixtures/worker-protocol-1").path
    static let models = NSHomeDirectory() + "/.cache/sgidkit/tiny-models"
    /// The fixture's fingerprints name the tiny models by their path; they hit only where the models were built there.
    static let modelsAtRecordedPath = TinyModels.directory == models

    static let runs: [(cache: String, flags: [String])] = [
        ("filtered", ["--captioner", models + "/blip", "--clip", models + "/clip", "--min-score", "-0.15", "--guidance-range", "2:9",
                      "--max-retries", "2", "--variants", "3", "--strength", "0.5,0.75"]),
        ("plain", ["--captioner", models + "/blip", "--variants", "2", "--strength", "0.5"]),
    ]

    static func precompute(cache: String, flags: [String]) throws -> ProgramRun {
        _ = try TinyModels.prepare()
        return try ProgramRun.run(BuiltProducts.path("sgid"), [
            "precompute", fixtures + "/images", "--cache", cache, "--generator", "diffusers", "--model", models + "/sd",
            "--steps", "3", "--size", "64x64", "--batch", "2", "--seed", "5", "--codec", "png",
            "--python", TinyModels.python, "--worker-script", TinyModels.workerScript,
        ] + flags)
    }

    static func records(_ directory: String) throws -> [String: CacheRecord] {
        let reader = try CacheShardReader(path: directory + "/rank-00000-of-00001.sgidc")
        #expect(reader.verify().isClean)
        var records: [String: CacheRecord] = [:]
        for entry in reader.index.entries { records[entry.key] = try reader.record(of: entry) }
        return records
    }

    static func provenance(_ record: CacheRecord) throws -> NSDictionary {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8)) as? [String: Any])
        object["created"] = nil
        return object as NSDictionary
    }

    @Test(.enabled(if: modelsAtRecordedPath, "the fixture's fingerprints name ~/.cache/sgidkit/tiny-models"),
          arguments: runs.map(\.cache))
    func anOldCacheStillHitsAndAFreshRunWritesTheSameRecords(cache: String) throws {
        let flags = try #require(Self.runs.first { $0.cache == cache }).flags
        let directory = try TemporaryDirectory()
        let old = directory.path("old")
        try FileManager.default.copyItem(atPath: Self.fixtures + "/" + cache, toPath: old)
        let rerun = try Self.precompute(cache: old, flags: flags)
        #expect(rerun.status == 0, "\(rerun.errors)")
        #expect(rerun.output.contains("done: 6 seen, 0 generated, 6 skipped"), "\(rerun.output)")

        let fresh = try Self.precompute(cache: directory.path("fresh"), flags: flags)
        #expect(fresh.status == 0, "\(fresh.errors)")
        let expected = try Self.records(Self.fixtures + "/" + cache)
        let got = try Self.records(directory.path("fresh"))
        #expect(Set(got.keys) == Set(expected.keys) && got.count == 6)
        var kept = 0, retried = 0, dropped = 0
        for (key, want) in expected {
            let have = try #require(got[key])
            #expect(have.meta.fingerprint == want.meta.fingerprint, "\(key)")
            #expect(have.meta.sourceDigest == want.meta.sourceDigest, "\(key)")
            #expect(have.variants == want.variants, "\(key): variants differ")
            #expect(try Self.provenance(have) == Self.provenance(want), "\(key): provenance differs")
            let variants = try #require(try Self.provenance(want)["variants"] as? [[String: Any]])
            kept += variants.filter { $0["dropped"] as? Bool == false }.count
            retried += variants.filter { ($0["attempts"] as? Int ?? 1) > 1 && $0["dropped"] as? Bool == false }.count
            dropped += variants.filter { $0["dropped"] as? Bool == true }.count
        }
        if cache == "filtered" {
            #expect(kept > 0 && retried > 0 && dropped > 0, "the fixture exercises keeping, regenerating and dropping")
        }
        print("legacy cache \(cache): 6/6 records skipped by the rerun; a fresh run matches all 6 byte for byte "
              + "(variants kept \(kept), kept after a regeneration \(retried), dropped \(dropped))")
    }
}
