import CacheShard
import Foundation
import Testing
import TestSupport

/// Crash safety as the issue demands it: a writer process killed with SIGKILL at random moments, at least 20 times,
/// then reopened and verified; every committed record survives, nothing is duplicated, verify is clean.
@Suite("Cache writer crash safety")
struct CacheCrashTests {
    let sgid = BuiltProducts.path("sgid")
    static let total = 2500

    func writer(_ directory: TemporaryDirectory) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sgid)
        process.arguments = ["cache", "write-synthetic", directory.url.path, "--records", "\(Self.total)",
                             "--variants", "2", "--size", "40x30", "--commit-every", "7"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func killedWritersLoseNothingCommitted() throws {
        let directory = try TemporaryDirectory()
        let shard = directory.path("synthetic")
        var generator = SystemRandomNumberGenerator()
        var kills = 0, attempts = 0
        var committed: [String: IndexEntry] = [:]
        while kills < 22 && attempts < 60 {
            attempts += 1
            let dataFile = directory.url.appendingPathComponent("synthetic.sgidc").path
            func size() -> Int { ((try? FileManager.default.attributesOfItem(atPath: dataFile))?[.size] as? Int) ?? 0 }
            let sizeBefore = size()
            let process = try writer(directory)
            // Kill at a random moment after the writer has started appending (whatever the machine's speed).
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && size() <= sizeBefore + 4096 && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.015, using: &generator))
            guard process.isRunning else {
                process.waitUntilExit()
                break  // it finished: no more work to interrupt
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
            // What an installed index covered before the crash must survive recovery, byte for byte.
            let before = try CacheShardReader(path: shard).index.entries
            let recovering = try CacheShardWriter(path: shard)
            let after = Dictionary(uniqueKeysWithValues: recovering.allEntries.map { ($0.key, $0) })
            try recovering.close()
            for entry in before { #expect(after[entry.key] == entry, "committed record \(entry.key) lost after kill \(kills)") }
            for (key, entry) in committed { #expect(after[key] == entry, "record \(key) from an earlier round lost") }
            committed = after
            let verified = try CacheShardReader(path: shard).verify()
            #expect(verified.isClean, "after kill \(kills): \(verified.problems)")
        }
        #expect(kills >= 20, "only \(kills) kills landed while the writer was running")
        // Finish the job and check every record once, with the right contents.
        let last = try writer(directory)
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        let reader = try CacheShardReader(path: shard)
        #expect(reader.verify() == ShardVerification(records: Self.total, problems: []))
        let keys = reader.index.entries.map(\.key)
        #expect(keys.count == Self.total && Set(keys).count == Self.total, "duplicated or missing records")
        for entry in reader.index.entries.shuffled().prefix(200) {
            let index = Int(entry.key.dropFirst("synthetic/".count))!
            #expect(try reader.record(of: entry) == SyntheticRecords.record(index, variants: 2, width: 40, height: 30))
        }
        print("cache crash test: \(kills) SIGKILLs during writes, \(Self.total) records intact, none duplicated")
    }

    /// Issue 15: after a writer is killed between commits, `inspect` and `verify` report the same committed count
    /// (the index's: what readers see) and the same number of intact records written after the last commit; `cache
    /// compact` refuses while a writer holds the shard and otherwise keeps those records too.
    @Test func inspectAndVerifyAgreeAfterACrash() throws {
        var attempt = 0
        var directory = try TemporaryDirectory()
        var dataFile = directory.path("synthetic.sgidc")
        // Kill until the kill lands between commits (7 records each) with records written after the last one.
        repeat {
            attempt += 1
            directory = try TemporaryDirectory()
            dataFile = directory.path("synthetic.sgidc")
            let process = try writer(directory)
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && (((try? CacheShardReader(path: dataFile))?.index.entries.count ?? 0) < 50 + attempt)
                    && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.002)
            }
            try #require(process.isRunning, "the writer finished before it could be killed")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        } while try CacheShardReader(path: dataFile).uncommittedRecords() == 0 && attempt < 20
        func counts() throws -> (inspect: Int, inspectPending: Int, verify: String) {
            let inspect = try ProgramRun.run(sgid, ["cache", "inspect", directory.url.path, "--json"])
            #expect(inspect.status == 0, "\(inspect.errors)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(inspect.output.utf8)) as? [String: Any])
            let verify = try ProgramRun.run(sgid, ["cache", "verify", directory.url.path])
            #expect(verify.status == 0, "\(verify.errors)")
            return (try #require(object["records"] as? Int), try #require(object["uncommitted_records"] as? Int), verify.output)
        }
        let reader = try CacheShardReader(path: dataFile)
        let scanned = reader.verify()
        let crashed = try counts()
        #expect(crashed.inspect == reader.index.entries.count && crashed.inspect == scanned.committed)
        #expect(crashed.inspectPending == scanned.records - scanned.committed)
        #expect(crashed.verify.contains("verified \(crashed.inspect) committed records"), "\(crashed.verify)")
        #expect(crashed.inspectPending > 0, "no kill out of \(attempt) landed between commits")
        #expect(crashed.verify.contains("\(crashed.inspectPending) intact record(s) written after the last commit"), "\(crashed.verify)")
        // compact refuses while a writer holds the shard, then (its writer's recovery committing them) keeps every
        // intact record, the uncommitted ones included.
        let holder = try CacheShardWriter(path: dataFile)
        let refused = try ProgramRun.run(sgid, ["cache", "compact", directory.url.path])
        #expect(refused.status == 1 && refused.errors.contains("another writer"), "\(refused.errors)")
        try holder.close()
        let compact = try ProgramRun.run(sgid, ["cache", "compact", directory.url.path])
        #expect(compact.status == 0 && compact.output.contains("\(scanned.records) record(s)"), "\(compact.output) \(compact.errors)")
        let recovered = try counts()
        #expect(recovered.inspect == scanned.records && recovered.inspectPending == 0)
        #expect(recovered.verify.contains("verified \(scanned.records) committed records in 1 shard(s): clean"), "\(recovered.verify)")
    }
}
