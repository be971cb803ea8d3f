import CacheShard
import Foundation
import Testing
import TestSupport

/// Issue 14's data-loss and write-outside-the-folder cases against the built `sgid`: planted symbolic links are never
/// written through, export names are injective and never overwrite, and reading past cache damage is never a clean
/// zero.
@Suite("Hostile caches and output folders", .serialized)
struct HostileCacheOutputTests {
    let sgid = BuiltProducts.path("sgid")

    /// A one-variant record with the given key.
    static func record(_ key: String, seed: Int) -> CacheRecord {
        CacheRecord(key: key, sourceDigest: SHA256.digest(Array("source-\(seed)".utf8)), fingerprint: "sha256:test",
                    provenanceJSON: #"{"model":"test"}"#,
                    variants: [CacheVariant(width: 4, height: 3, channels: 3, codec: .raw, seed: UInt64(seed),
                                            payload: [UInt8](repeating: UInt8(seed % 251), count: 36))])
    }

    /// Writes a cache holding one record per key.
    static func cache(_ keys: [String], in directory: String) throws {
        let writer = try CacheShardWriter(path: directory + "/rank-0")
        for (seed, key) in keys.enumerated() { try writer.append(record(key, seed: seed)) }
        try writer.close()
    }

    @Test func plantedSymlinksAreNeverWrittenThrough() throws {
        let directory = try TemporaryDirectory(prefix: "sgid-symlink")
        let victim = directory.path("victim.txt")
        try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory.path("cache"), withIntermediateDirectories: true)
        // The temporary index: the writer removes the link and writes its own file.
        try FileManager.default.createSymbolicLink(atPath: directory.path("cache/rank-0.sgidx.tmp"), withDestinationPath: victim)
        try Self.cache(["a", "b"], in: directory.path("cache"))
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try CacheShardReader(path: directory.path("cache/rank-0")).index.entries.count == 2)
        // A symlinked data or lock file: refused, naming it.
        for name in ["other.sgidc", "third.sgidc.lock"] {
            let stem = directory.path("cache/" + name.split(separator: ".")[0])
            try FileManager.default.createSymbolicLink(atPath: directory.path("cache/" + name), withDestinationPath: victim)
            do {
                _ = try CacheShardWriter(path: stem)
                Issue.record("a symlinked \(name) was opened for writing")
            } catch {
                #expect(error.message.contains("symbolic link") && error.path.hasSuffix(name), "\(error)")
            }
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        }
        // Command outputs: a planted link at the output path is refused, the victim untouched.
        let png = directory.path("out.png")
        try FileManager.default.createSymbolicLink(atPath: png, withDestinationPath: victim)
        let cacheArgument = directory.path("cache")
        try FileManager.default.removeItem(atPath: cacheArgument + "/other.sgidc")
        try FileManager.default.removeItem(atPath: cacheArgument + "/third.sgidc.lock")
        let image = directory.path("in.ppm")
        try Data("P6\n2 2\n255\n".utf8 + [UInt8](repeating: 90, count: 12)).write(to: URL(fileURLWithPath: image))
        for arguments in [["decode", image, png], ["augment", image, png, "--op", "hflip"]] {
            let run = try ProgramRun.run(sgid, arguments)
            #expect(run.status == 1 && run.errors.contains("symbolic link"), "\(arguments): \(run.status) \(run.errors)")
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        }
        // Shards create: a planted link where a shard goes.
        try FileManager.default.createDirectory(atPath: directory.path("folder/cat"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: image, toPath: directory.path("folder/cat/one.ppm"))
        try FileManager.default.createSymbolicLink(atPath: directory.path("shard-0.tar"), withDestinationPath: victim)
        let shards = try ProgramRun.run(sgid, ["shards", "create", directory.path("folder"), "--out", directory.path("shard-%d.tar")])
        #expect(shards.status == 1 && shards.errors.contains("symbolic link"), "\(shards.status) \(shards.errors)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
    }

    @Test func exportNamesAreInjectiveAndNeverOverwrite() throws {
        let directory = try TemporaryDirectory(prefix: "sgid-export")
        // The issue's collisions, keys that would escape the folder, dot names, and random keys over a hostile alphabet.
        var keys = ["a/b", "a__b", "a?b", "a_b", "../../escape", "..", ".", ".hidden", "%41", "A", "é/ü", "x y", String(repeating: "k", count: 300),
                    String(repeating: "k", count: 299) + "j"]
        var generator = SplitMix64(seed: 14)
        let alphabet = Array("ab/._-%?* \\é\u{0}")
        while keys.count < 300 {
            let key = String((0..<(1 + generator.below(12))).map { _ in alphabet[generator.below(alphabet.count)] })
            if !keys.contains(key) { keys.append(key) }
        }
        try Self.cache(keys, in: directory.path("cache"))
        let out = directory.path("out")
        let run = try ProgramRun.run(sgid, ["cache", "export", directory.path("cache"), "--out", out])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("exported \(keys.count) record(s), \(2 * keys.count) file(s)"), "\(run.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.count == 2 * keys.count, "\(files.count) files for \(keys.count) keys")
        #expect(!FileManager.default.fileExists(atPath: directory.path("escape-v0.png")))
        #expect(files.allSatisfy { !$0.hasPrefix(".") && !$0.contains("/") && $0.utf8.count <= 255 })
        // Every JSON names its own key: the mapping is one to one.
        var named = Set<String>()
        for file in files where file.hasSuffix(".json") {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + file))) as? [String: Any]
            named.insert(object?["key"] as? String ?? "")
        }
        #expect(named == Set(keys))
        // A second export into the same folder overwrites nothing, says so, and fails.
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/" + files.sorted()[0]))
        let again = try ProgramRun.run(sgid, ["cache", "export", directory.path("cache"), "--out", out])
        #expect(again.status == 1 && again.errors.contains("not overwritten"), "\(again.status) \(again.errors)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/" + files.sorted()[0])) == before)
    }

    @Test func readingPastDamageIsNeverACleanZero() throws {
        let directory = try TemporaryDirectory(prefix: "sgid-damaged")
        try Self.cache((0..<6).map { "key-\($0)" }, in: directory.path("cache"))
        // Damage record 0 and the index: a reader must scan, step over record 0 and keep the other five.
        let data = directory.path("cache/rank-0.sgidc")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: data)))
        bytes[16 + 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: data))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory.path("cache/rank-0.sgidx")))
        for arguments in [["cache", "inspect", directory.path("cache")], ["cache", "inspect", directory.path("cache"), "--json"],
                          ["cache", "export", directory.path("cache"), "--out", directory.path("out")]] {
            let run = try ProgramRun.run(sgid, arguments)
            #expect(run.status == 1, "\(arguments) exited \(run.status)")
            #expect(run.errors.contains("warning:") && run.errors.contains("at byte 16"), "\(arguments): \(run.errors)")
            #expect(run.output.contains("5 record(s)") || run.output.contains(#""records":5"#), "\(arguments): \(run.output)")
        }
        let verify = try ProgramRun.run(sgid, ["cache", "verify", directory.path("cache")])
        #expect(verify.status == 1 && verify.output.contains("5 committed records"), "\(verify.output) \(verify.errors)")
        // compact --drop-damaged keeps the five and leaves the damage behind; the result verifies clean.
        let compact = try ProgramRun.run(sgid, ["cache", "compact", directory.path("cache"), "--drop-damaged"])
        #expect(compact.status == 0 && compact.output.contains("5 record(s)"), "\(compact.output) \(compact.errors)")
        let clean = try ProgramRun.run(sgid, ["cache", "verify", directory.path("cache")])
        #expect(clean.status == 0 && clean.output.contains("verified 5 committed records"), "\(clean.output) \(clean.errors)")
    }
}
