import CacheShard
import Foundation
import Testing
import TestSupport

/// Truncation, corruption and hostile sizes: detected, reported with file and offset, never a crash.
@Suite("Cache shard damage")
struct CacheShardDamageTests {
    /// Writes `count` records in commit groups of `group`, returning the data file's bytes and the committed lengths.
    static func makeShard(in directory: TemporaryDirectory, count: Int, group: Int) throws -> [UInt8] {
        let writer = try CacheShardWriter(path: directory.path("s"), options: .init(commitEveryRecords: group))
        for seed in 0..<count { try writer.append(CacheFixtures.record(seed, variants: 1 + seed % 3, width: 8, height: 6)) }
        try writer.close()
        return [UInt8](try Data(contentsOf: directory.url.appendingPathComponent("s.sgidc")))
    }

    @Test func truncationAtAnyOffsetKeepsEveryCompleteRecord() throws {
        let source = try TemporaryDirectory()
        let full = try Self.makeShard(in: source, count: 9, group: 4)
        let index = try Data(contentsOf: source.url.appendingPathComponent("s.sgidx"))
        let reader = try CacheShardReader(path: source.path("s"))
        let ends = reader.index.entries.map { Int($0.offset) + $0.length }
        for cut in stride(from: 0, through: full.count, by: max(1, full.count / 60)) + ends {
            let directory = try TemporaryDirectory()
            try Data(full.prefix(cut)).write(to: directory.url.appendingPathComponent("s.sgidc"))
            // The index of the full shard claims more than the cut file holds: recovery must distrust it.
            try index.write(to: directory.url.appendingPathComponent("s.sgidx"))
            let writer = try CacheShardWriter(path: directory.path("s"))
            let complete = ends.filter { $0 <= cut }.count
            #expect(writer.allEntries.count == complete, "cut at \(cut): kept \(writer.allEntries.count), expected \(complete)")
            try writer.close()
            let verified = try CacheShardReader(path: directory.path("s")).verify()
            #expect(verified.isClean, "cut at \(cut): \(verified.problems)")
            #expect(verified.records == complete)
        }
    }

    @Test func everySingleByteCorruptionIsDetectedAndNeverCrashesAReader() throws {
        let source = try TemporaryDirectory()
        let full = try Self.makeShard(in: source, count: 3, group: 10)
        let index = try Data(contentsOf: source.url.appendingPathComponent("s.sgidx"))
        var undetected: [Int] = []
        for position in 0..<full.count {
            let directory = try TemporaryDirectory()
            var damaged = full
            damaged[position] ^= 0x20
            try Data(damaged).write(to: directory.url.appendingPathComponent("s.sgidc"))
            try index.write(to: directory.url.appendingPathComponent("s.sgidx"))
            guard let reader = try? CacheShardReader(path: directory.path("s")) else { continue }  // header damage: refused
            if reader.verify().isClean { undetected.append(position) }
            for entry in reader.index.entries {  // every read either succeeds or throws a CacheError
                for variant in 0..<entry.variantCount { _ = try? reader.variant(of: entry, at: variant) }
            }
        }
        #expect(undetected.isEmpty, "flips at \(undetected) went unnoticed by verify")
    }

    @Test func corruptIndexIsReportedAndRebuiltByTheWriter() throws {
        let directory = try TemporaryDirectory()
        _ = try Self.makeShard(in: directory, count: 5, group: 2)
        var index = [UInt8](try Data(contentsOf: directory.url.appendingPathComponent("s.sgidx")))
        index[20] ^= 1
        try Data(index).write(to: directory.url.appendingPathComponent("s.sgidx"))
        let problems = try CacheShardReader(path: directory.path("s")).verify().problems
        #expect(problems.contains { $0.contains("s.sgidx") && $0.contains("checksum mismatch") }, "\(problems)")
        let writer = try CacheShardWriter(path: directory.path("s"))
        #expect(writer.recovery.rebuiltIndex)
        #expect(writer.allEntries.count == 5)
        try writer.close()
        #expect(try CacheShardReader(path: directory.path("s")).verify().isClean)
    }

    @Test func oversizedDeclarationsAreRefusedBeforeAllocating() throws {
        // A zstd frame that declares 2 GiB of content is refused from its header.
        var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
        frame += [0xA4, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00]  // FCS 8 bytes = 2^31, checksum flag
        do {
            _ = try frame.withUnsafeBytes { try ZstdFrame.decompress($0, limit: CacheFormat.maxVariantBytes) }
            Issue.record("a 2 GiB frame was accepted")
        } catch let error as CacheError {
            #expect(error.kind == .tooLarge)
        }
        // A record header declaring a 1 GiB variant frame is refused from the header.
        let directory = try TemporaryDirectory()
        _ = try Self.makeShard(in: directory, count: 1, group: 1)
        var data = [UInt8](try Data(contentsOf: directory.url.appendingPathComponent("s.sgidc")))
        let recordStart = 16
        let k = Int(data[recordStart + 8])
        data.replaceSubrange(recordStart + 16..<recordStart + 20, with: [0, 0, 0, 0x40])  // variant 0: 1 GiB
        let headerEnd = recordStart + 16 + 4 * k
        var crcInput = Array(data[recordStart..<headerEnd])
        let crc = crc32Reference(&crcInput)
        data.replaceSubrange(headerEnd..<headerEnd + 4, with: withUnsafeBytes(of: crc.littleEndian, Array.init))
        try Data(data).write(to: directory.url.appendingPathComponent("s.sgidc"))
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("s.sgidx"))
        let verified = try CacheShardReader(path: directory.path("s")).verify()
        #expect(verified.problems.contains { $0.contains("tooLarge") && $0.contains("at byte 16") }, "\(verified.problems)")
    }

    @Test func readersRunConcurrentlyWithAnAppendingWriter() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("s")
        let writer = try CacheShardWriter(path: path, options: .init(commitEveryRecords: 5))
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    var reads = 0
                    for _ in 0..<40 {
                        guard let reader = try? CacheShardReader(path: path) else { continue }
                        for entry in reader.index.entries {
                            let seed = Int(entry.key.split(separator: "-").last!)!
                            #expect(try reader.record(of: entry) == CacheFixtures.record(seed, variants: 2))
                            reads += 1
                        }
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    return reads
                }
            }
            for seed in 0..<120 {
                try writer.append(CacheFixtures.record(seed, variants: 2))
                if seed % 10 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            }
            try writer.close()
            var total = 0
            for try await reads in group { total += reads }
            #expect(total > 0)
        }
        #expect(try CacheShardReader(path: path).verify() == ShardVerification(records: 120, problems: []))
    }
}

/// An independent bitwise CRC-32 (so the test does not trust the module's own).
func crc32Reference(_ bytes: inout [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
}
