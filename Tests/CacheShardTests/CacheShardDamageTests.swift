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

    /// The issue's reproduction: one byte of record 0 and one of the index damaged. Recovery used to rescan from the
    /// start, stop at record 0 and cut every record after it ("unfinished tail removed").
    @Test func recoveryKeepsEveryIntactRecordAfterADamagedOne() throws {
        let directory = try TemporaryDirectory()
        let full = try Self.makeShard(in: directory, count: 24, group: 5)
        let reader = try CacheShardReader(path: directory.path("s"))
        let first = reader.index.entries[0]
        var damaged = full
        damaged[Int(first.offset) + first.length / 2] ^= 0x01
        try Data(damaged).write(to: directory.url.appendingPathComponent("s.sgidc"))
        var index = [UInt8](try Data(contentsOf: directory.url.appendingPathComponent("s.sgidx")))
        index[30] ^= 0x04
        try Data(index).write(to: directory.url.appendingPathComponent("s.sgidx"))

        let writer = try CacheShardWriter(path: directory.path("s"))
        #expect(writer.recovery.rebuiltIndex && writer.recovery.truncatedBytes == 0)
        #expect(writer.allEntries.map(\.key) == reader.index.entries.dropFirst().map(\.key))
        #expect(writer.recovery.damaged == [CacheDamage(offset: first.offset, length: UInt64(first.length),
                                                        reason: writer.recovery.damaged.first?.reason ?? CacheError(.io, ""))])
        try writer.append(CacheFixtures.record(99, variants: 2))
        try writer.close()
        #expect(try Data(contentsOf: directory.url.appendingPathComponent("s.sgidc")).prefix(full.count) == Data(damaged))
        // verify names the damaged record and still checks every record after it.
        let verified = try CacheShardReader(path: directory.path("s")).verify()
        #expect(verified.records == 24)
        #expect(verified.problems.count == 1 && verified.problems[0].contains("at byte \(first.offset)"), "\(verified.problems)")
    }

    /// The whole class: k random records damaged (a flipped byte, a zeroed run, or a torn end) and the index damaged
    /// (a flipped byte, truncated, or deleted), in 200 random ways. Every record that was not damaged survives the
    /// writer's recovery, reads back equal, and nothing but a torn tail after the last intact record is cut.
    @Test func recoveryNeverDeletesARecordThatVerifies() throws {
        let source = try TemporaryDirectory()
        let count = 12
        let full = try Self.makeShard(in: source, count: count, group: 3)
        let index = [UInt8](try Data(contentsOf: source.url.appendingPathComponent("s.sgidx")))
        let entries = try CacheShardReader(path: source.path("s")).index.entries
        var generator = SplitMix64(seed: 0x5EC0_7E4)
        for trial in 0..<FuzzBudget.iterations(default: 200) {
            let directory = try TemporaryDirectory()
            var bytes = full
            let damagedRecords = Set((0..<(1 + generator.below(3))).map { _ in generator.below(count) })
            for record in damagedRecords {
                let entry = entries[record]
                let start = Int(entry.offset), length = entry.length
                switch generator.below(3) {
                case 0: bytes[start + generator.below(length)] ^= UInt8(1 << generator.below(8))
                case 1:
                    let from = start + generator.below(length)
                    for position in from..<min(from + 1 + generator.below(40), start + length) { bytes[position] = 0 }
                default: bytes[start + generator.below(20)] ^= 0xFF  // the header: magic, lengths or its checksum
                }
            }
            try Data(bytes).write(to: directory.url.appendingPathComponent("s.sgidc"))
            switch generator.below(3) {
            case 0:
                var damagedIndex = index
                damagedIndex[generator.below(index.count)] ^= UInt8(1 << generator.below(8))
                try Data(damagedIndex).write(to: directory.url.appendingPathComponent("s.sgidx"))
            case 1: try Data(index.prefix(generator.below(index.count))).write(to: directory.url.appendingPathComponent("s.sgidx"))
            default: break  // no index at all
            }
            let writer = try CacheShardWriter(path: directory.path("s"))
            let kept = Set(writer.allEntries.map(\.key))
            let intact = Set((0..<count).filter { !damagedRecords.contains($0) }.map { entries[$0].key })
            #expect(intact.isSubset(of: kept), "trial \(trial): damaged \(damagedRecords.sorted()), lost \(intact.subtracting(kept).sorted())")
            // Only a damaged last record may be cut (a torn tail); everything before it stays byte for byte.
            let lastIntact = (0..<count).last { !damagedRecords.contains($0) }.map { Int(entries[$0].offset) + entries[$0].length } ?? 16
            let size = try Data(contentsOf: directory.url.appendingPathComponent("s.sgidc")).count
            #expect(size >= lastIntact, "trial \(trial): cut to \(size), below the last intact record's end \(lastIntact)")
            try writer.close()
            let reader = try CacheShardReader(path: directory.path("s"))
            for entry in reader.index.entries where intact.contains(entry.key) {
                let seed = Int(entry.key.split(separator: "-").last!)!
                #expect(try reader.record(of: entry) == CacheFixtures.record(seed, variants: 1 + seed % 3, width: 8, height: 6))
            }
        }
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
