import Foundation
@testable import Tar
import Testing

/// Truncated, corrupt and foreign input gives typed errors that say which member and where; never a crash or hang.
@Suite struct CorruptArchiveTests {
    // Layout of the sample archive: dir/ header 0; dir/a.jpg header 512, data 1024 (700 bytes, padding to 2048);
    // dir/b.cls header 2048, data 2560; dir/c header 3072; PAX header 3584 + records 4096; long name header 4608,
    // data 5120; dir/empty header 5632; end marker 6144.
    let sample: [UInt8]
    let full: [TarMember]

    init() throws {
        sample = try TarTestSupport.sampleArchive()
        full = try TarTestSupport.readAll(bytes: sample)
    }

    @Test func sampleLayoutIsAsDocumented() {
        #expect(sample.count == 6144 + 1024)
        #expect(full.map(\.headerOffset) == [0, 512, 2048, 3072, 4608, 5632])
        #expect(full.map(\.dataOffset) == [512, 1024, 2560, 3584, 5120, 6144])
    }

    @Test func emptyInputIsAnError() {
        let error = #expect(throws: TarError.self) { try TarTestSupport.readAll(bytes: []) }
        #expect(error?.kind == .emptyArchive)
        #expect(error?.description == "test.tar: at byte 0: empty archive (no bytes)")
    }

    @Test func errorsNameTheMemberAndTheOffset() {
        let cut = Array(sample[..<(1024 + 100)])
        let error = #expect(throws: TarError.self) { try TarTestSupport.readAll(bytes: cut) }
        #expect(error?.kind == .truncatedData)
        #expect(error?.description == "test.tar: member 'dir/a.jpg' at byte 1024: truncated data (expected 700 bytes, got 100)")
    }

    @Test func truncationAtEveryOffsetGivesATypedErrorOrAPrefix() {
        for length in 1..<sample.count {
            let cut = Array(sample[..<length])
            do {
                let members = try TarTestSupport.readAll(bytes: cut)
                // Success only when the cut falls on a block boundary between members or inside the end marker.
                #expect(length % 512 == 0 || length > 6144, "cut at \(length) read without error")
                #expect(Array(full.prefix(members.count)) == members)
            } catch {
                #expect(error.archive == "test.tar")
                #expect(error.offset != nil)
                switch error.kind {
                case .truncatedHeader:
                    #expect(length % 512 != 0)
                    #expect(error.offset == Int64(length / 512 * 512), "cut at \(length): \(error)")
                case .truncatedData:
                    #expect(error.memberName != nil || (3584..<4608).contains(length), "cut at \(length): \(error)")
                case .missingMemberHeader:
                    #expect(error.offset == 3584, "cut at \(length): \(error)")
                default:
                    Issue.record("cut at \(length): unexpected \(error)")
                }
            }
        }
    }

    @Test func truncationInsidePaddingSaysSo() {
        let cut = Array(sample[..<(1024 + 800)])  // a.jpg's data is complete; its padding is not
        let error = #expect(throws: TarError.self) { try TarTestSupport.readAll(bytes: cut) }
        #expect(error?.kind == .truncatedData)
        #expect(error?.memberName == "dir/a.jpg")
        #expect(error?.offset == 1724)
        #expect(error?.message == "truncated padding (expected 324 bytes, got 100)")
    }

    @Test func truncatedHeaderAfterLongNameNamesTheMember() {
        let cut = Array(sample[..<(4608 + 100)])
        let error = #expect(throws: TarError.self) { try TarTestSupport.readAll(bytes: cut) }
        #expect(error?.kind == .truncatedHeader)
        #expect(error?.memberName == "dir/" + String(repeating: "n", count: 130) + ".txt")
        #expect(error?.offset == 4608)
    }

    @Test func endOfArchiveVariantsAreAccepted() throws {
        let membersEnd = 6144
        for length in [membersEnd, membersEnd + 512, membersEnd + 700, membersEnd + 1024] {
            #expect(try TarTestSupport.readAll(bytes: Array(sample[..<length])) == full)
        }
        // Anything after the end marker is ignored.
        #expect(try TarTestSupport.readAll(bytes: sample + TarTestSupport.payload(3000, seed: 9)) == full)
        // An archive of only an end marker is empty, not an error.
        #expect(try TarTestSupport.readAll(bytes: [UInt8](repeating: 0, count: 1024)).isEmpty)
    }

    @Test func flippedHeaderBytesFailTheChecksum() {
        for header in [0, 512, 2048, 4608] {
            for field in [0, 50, 101, 125, 137, 156, 200, 257, 300, 400, 511] {
                var bytes = sample
                bytes[header + field] ^= 0x04
                let error = #expect(throws: TarError.self, "flip at \(header + field)") {
                    try TarTestSupport.readAll(bytes: bytes)
                }
                #expect(error?.kind == .badChecksum, "flip at \(header + field): \(String(describing: error))")
                #expect(error?.offset == Int64(header))
            }
        }
    }

    @Test func checksumAcceptsSignedSums() throws {
        // Old tars summed signed chars: rewrite a header holding a high byte with the signed sum.
        let writer = TarWriter()
        try writer.addFile("caf\u{00e9}", contents: [1, 2, 3])
        try writer.finish()
        var bytes = writer.sink.bytes
        let header = 1024  // after the PAX header
        bytes[header + 5] = 0xe9  // a high byte after the fallback name's NUL
        var signed: Int64 = 0
        var unsigned: Int64 = 0
        for index in 0..<512 {
            let byte = (148..<156).contains(index) ? UInt8(ascii: " ") : bytes[header + index]
            signed += Int64(Int8(bitPattern: byte))
            unsigned += Int64(byte)
        }
        #expect(signed != unsigned)
        let text = String(signed, radix: 8).leftPadded(to: 6) + "\0 "
        for (index, byte) in text.utf8.enumerated() { bytes[header + 148 + index] = byte }
        let members = try TarTestSupport.readAll(bytes: bytes)
        #expect(members.map(\.data) == [[1, 2, 3]])
    }

    @Test func invalidHeaderAfterValidMembersIsAnErrorNotTheEnd() {
        var bytes = Array(sample[..<2048])
        bytes += TarTestSupport.payload(512, seed: 3)
        let error = #expect(throws: TarError.self) { try TarTestSupport.readAll(bytes: bytes) }
        #expect(error?.kind == .badChecksum)
        #expect(error?.offset == 2048)
    }

    @Test func metadataWithoutAMemberIsAnError() {
        var bytes = Array(sample[..<4608])  // up to and including the PAX header of the long name
        bytes += [UInt8](repeating: 0, count: 1024)
        let error = #expect(throws: TarError.self) { try TarTestSupport.readAll(bytes: bytes) }
        #expect(error?.kind == .missingMemberHeader)
        #expect(error?.offset == 3584)
        #expect(error?.memberName == "dir/" + String(repeating: "n", count: 130) + ".txt")
    }

    @Test func membersOverTheLimitAreRefused() {
        let reader = try? TarReader(bytes: sample, archiveName: "s.tar", options: TarReaderOptions(maxMemberSize: 600))
        let error = #expect(throws: TarError.self) { _ = try reader?.readAll() }
        #expect(error?.kind == .memberTooLarge)
        #expect(error?.description == "s.tar: member 'dir/a.jpg' at byte 512: member of 700 bytes exceeds the limit of 600")
        // After an error the reader keeps reporting it.
        let again = #expect(throws: TarError.self) { _ = try reader?.next() }
        #expect(again == error)
    }

    @Test func randomBytesAreRejected() {
        var state: UInt64 = 42
        for size in [1, 100, 511, 512, 513, 1024, 4096, 10_000] {
            let bytes = (0..<size).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            let error = #expect(throws: TarError.self) { try TarTestSupport.readAll(bytes: bytes) }
            #expect(error?.offset == 0, "\(String(describing: error))")
            #expect([.truncatedHeader, .badChecksum].contains(error?.kind))
        }
        // Random bytes behind a gzip or zstd magic are a decompression error.
        for magic: [UInt8] in [[0x1f, 0x8b], [0x28, 0xb5, 0x2f, 0xfd]] {
            let error = #expect(throws: TarError.self) {
                try TarTestSupport.readAll(bytes: magic + TarTestSupport.payload(2000, seed: 1))
            }
            #expect(error?.kind == .decompression)
        }
    }

    @Test func numericFieldsParseOctalAndBase256() throws {
        func parse(_ bytes: [UInt8]) throws(TarError) -> Int64 {
            var result: Int64 = 0
            var failure: TarError?
            bytes.withUnsafeBytes { raw in
                do throws(TarError) { result = try TarNumericField.parse(raw, name: "size") } catch { failure = error }
            }
            if let failure { throw failure }
            return result
        }
        #expect(try parse(Array("00000001750\0".utf8)) == 1000)
        #expect(try parse(Array("  1750 \0    ".utf8)) == 1000)
        #expect(try parse([UInt8](repeating: 0, count: 12)) == 0)
        #expect(try parse([0x80, 0, 0, 0, 0, 0, 0, 2, 0x40, 0, 0, 0]) == 9 << 30)
        #expect(try parse([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]) == -2)
        #expect(throws: TarError.self) { try parse(Array("0000000175x\0".utf8)) }
        #expect(throws: TarError.self) { try parse([0x80, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }
    }

    @Test func paxRecordsRoundTripAndRejectGarbage() throws {
        let records = PAXRecords([("path", "a/\u{00e9}\n=b"), ("size", "12345678901"), ("x", String(repeating: "y", count: 95))])
        let encoded = records.encoded()
        #expect(try PAXRecords.decode(encoded) == records)
        #expect(try PAXRecords.decode(encoded + [0, 0, 0]) == records)
        for bad in ["12 path=abc", "5 path=abc\n", "x path=a\n", "9 pathabc\n", "8 =abcd\n"] {
            #expect(throws: TarError.self, "\(bad)") { try PAXRecords.decode(Array(bad.utf8)) }
        }
    }
}
