import Foundation
import Tar
import Testing
import TestSupport

/// Random mutations of small valid archives: every outcome is a successful read or a typed error, never a crash or
/// a hang, read plainly and resynchronising (`TarReaderOptions.resynchronizes`, which must end too and return at
/// least what the plain read returned). `SGID_FUZZ_ITERATIONS` sets the number of mutations (default 2,000).
@Suite struct TarFuzzTests {
    static var iterations: Int { FuzzBudget.iterations(default: 2000) }

    static func gnuStyleArchive() throws -> [UInt8] {
        // A PAX-heavy archive with long names and links, plus a hand-made GNU long-name member.
        let writer = TarWriter()
        try writer.addFile("x/" + String(repeating: "l", count: 200), contents: TarTestSupport.payload(30, seed: 4))
        try writer.addSymbolicLink("x/s", target: String(repeating: "t", count: 150))
        try writer.addFile("x/\u{00e9}.bin", contents: TarTestSupport.payload(1500, seed: 5))
        try writer.finish()
        var bytes = writer.sink.bytes
        bytes.removeLast(1024)
        // GNU 'L' record + member.
        let longName = Array(String(repeating: "g", count: 180).utf8) + [0]
        bytes += gnuHeader(name: "././@LongLink", typeflag: UInt8(ascii: "L"), size: longName.count)
        bytes += longName + [UInt8](repeating: 0, count: (512 - longName.count % 512) % 512)
        bytes += gnuHeader(name: "short", typeflag: UInt8(ascii: "0"), size: 3)
        bytes += [1, 2, 3] + [UInt8](repeating: 0, count: 509)
        return bytes + [UInt8](repeating: 0, count: 1024)
    }

    static func gnuHeader(name: String, typeflag: UInt8, size: Int) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        for (index, byte) in name.utf8.enumerated() { block[index] = byte }
        for (offset, text) in [(100, "0000644"), (108, "0000000"), (116, "0000000"), (136, "00000000000")] {
            for (index, byte) in text.utf8.enumerated() { block[offset + index] = byte }
        }
        // Size in GNU base-256 form.
        block[124] = 0x80
        block[135] = UInt8(size & 0xff)
        block[134] = UInt8(size >> 8)
        block[156] = typeflag
        for (index, byte) in "ustar  \0".utf8.enumerated() { block[257 + index] = byte }
        fixChecksum(&block, header: 0)
        return block
    }

    @Test func gnuStyleArchiveIsValid() throws {
        let members = try TarTestSupport.readAll(bytes: Self.gnuStyleArchive())
        #expect(members.map(\.name) == ["x/" + String(repeating: "l", count: 200), "x/s", "x/\u{00e9}.bin",
                                        String(repeating: "g", count: 180)])
        #expect(members.last?.data == [1, 2, 3])
    }

    @Test func mutationsGiveTypedErrorsOrReads() throws {
        let bases = [try TarTestSupport.sampleArchive(), try Self.gnuStyleArchive()]
        var random = SplitMix64(seed: 0x5eed)
        var outcomes: [String: Int] = [:]
        for _ in 0..<Self.iterations {
            var bytes = bases[random.below(bases.count)]
            for _ in 0...random.below(3) {
                switch random.below(6) {
                case 0:  // flip bits
                    guard !bytes.isEmpty else { break }
                    let index = random.below(bytes.count)
                    bytes[index] ^= UInt8(truncatingIfNeeded: random.next() | 1)
                case 1:  // truncate
                    bytes.removeSubrange(random.below(bytes.count + 1)...)
                case 2:  // insert random bytes
                    let insert = (0..<random.below(600) + 1).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                    bytes.insert(contentsOf: insert, at: random.below(bytes.count + 1))
                case 3:  // delete a range
                    let start = random.below(bytes.count + 1)
                    bytes.removeSubrange(start..<min(bytes.count, start + random.below(700)))
                case 4:  // stamp a numeric field with extreme values (checksum then fixed up, to get past it)
                    let header = random.below(max(bytes.count / 512, 1)) * 512
                    guard header + 512 <= bytes.count else { break }
                    let field = [100, 108, 116, 124, 136][random.below(5)]
                    let length = field == 124 || field == 136 ? 12 : 8
                    for index in 0..<length {
                        bytes[header + field + index] = [0x80, 0xff, 0x37, 0x20, 0x00, 0x39][random.below(6)]
                    }
                    Self.fixChecksum(&bytes, header: header)
                default:  // change a typeflag (checksum fixed up)
                    let header = random.below(max(bytes.count / 512, 1)) * 512
                    guard header + 512 <= bytes.count else { break }
                    bytes[header + 156] = Array("0125LKxgSV7\0".utf8)[random.below(12)]
                    Self.fixChecksum(&bytes, header: header)
                }
            }
            var options = TarReaderOptions(maxMemberSize: 1 << 20, includesNonRegularMembers: random.below(2) == 0)
            var plain: [TarMember] = []
            do {
                let reader = try TarReader(bytes: bytes, archiveName: "fuzz.tar", options: options)
                while let member = try reader.next() { plain.append(member) }
                outcomes["ok", default: 0] += 1
            } catch {
                #expect(!error.description.isEmpty)
                #expect(error.archive == "fuzz.tar" || error.kind == .decompression)
                outcomes["\(error.kind)", default: 0] += 1
            }
            options.resynchronizes = true
            let resynchronized = Self.readResynchronizing(bytes, options: options)
            #expect(Array(resynchronized.prefix(plain.count)) == plain, "resynchronising changed what came before the damage")
        }
        #expect(outcomes.values.reduce(0, +) == Self.iterations)
        #expect(outcomes["ok", default: 0] > 0)
    }

    /// Reads every member a resynchronising reader returns, checking that each resynchronisation moves forward and
    /// that the reader ends.
    static func readResynchronizing(_ bytes: [UInt8], options: TarReaderOptions) -> [TarMember] {
        var members: [TarMember] = []
        guard let reader = try? TarReader(bytes: bytes, archiveName: "fuzz.tar", options: options) else { return members }
        for _ in 0..<(bytes.count / 512 + 8) {
            do {
                guard let member = try reader.next() else { return members }
                members.append(member)
            } catch {
                guard let skipped = error.skippedBytes else { return members }
                #expect(skipped >= 512, "\(error)")
                if let resume = error.resumeOffset, let offset = error.offset { #expect(resume >= offset + 512, "\(error)") }
            }
        }
        Issue.record("a resynchronising reader did not end")
        return members
    }

    static func fixChecksum(_ bytes: inout [UInt8], header: Int) {
        for index in 148..<156 { bytes[header + index] = UInt8(ascii: " ") }
        let sum = bytes[header..<header + 512].reduce(0) { $0 + Int($1) }
        let text = Array(String(sum, radix: 8).utf8)
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, 6 - text.count)) + text + [0]
        for (index, byte) in padded.prefix(7).enumerated() { bytes[header + 148 + index] = byte }
    }
}
