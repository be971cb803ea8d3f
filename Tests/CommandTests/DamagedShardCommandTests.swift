import Foundation
import Testing
import TestSupport

/// `sgid run` and `sgid index` on a shard with one damaged tar header, and `WDS_SECURE` as the command reads it.
@Suite("sgid on damaged shards and WDS_SECURE")
struct DamagedShardCommandTests {
    let sgid = BuiltProducts.path("sgid")

    /// The (name, header offset) of every member of a plain tar archive.
    static func members(_ bytes: [UInt8]) -> [(name: String, offset: Int)] {
        var members: [(name: String, offset: Int)] = []
        var offset = 0
        while offset + 512 <= bytes.count, bytes[offset..<offset + 512].contains(where: { $0 != 0 }) {
            let name = String(decoding: bytes[offset..<offset + 100].prefix { $0 != 0 }, as: UTF8.self)
            let sizeText = String(decoding: bytes[offset + 124..<offset + 136].prefix { $0 != 0 && $0 != 0x20 }, as: UTF8.self)
            let size = Int(sizeText, radix: 8) ?? 0
            members.append((name, offset))
            offset += 512 + (size + 511) / 512 * 512
        }
        return members
    }

    /// A one-shard dataset of 15 samples made by `sgid shards create`, and the same shard with the header of the
    /// sixth sample's first member damaged. Returns the paths, that member's offset, and the bytes skipped past it
    /// (its header and data: the sample's next member's header is valid, and that member goes with the lost sample).
    func shards(_ directory: TemporaryDirectory) throws -> (whole: String, damaged: String, offset: Int, skipped: Int) {
        let images = try ShardsCommandTests.imageFolder(directory)
        let whole = directory.path("whole-0000.tar")
        let create = try ProgramRun.run(sgid, ["shards", "create", images, "--out", directory.path("whole-%04d.tar")])
        try #require(create.status == 0, "\(create.errors)")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: whole)))
        let members = Self.members(bytes)
        let keys = members.map { $0.name.split(separator: ".", maxSplits: 1)[0] }
        try #require(Set(keys).count == 15)
        let sixth = try #require(keys.indices.first { index in Set(keys[...index]).count == 6 })
        try #require(keys[sixth + 1] == keys[sixth])
        bytes[members[sixth].offset + 130] ^= 0x01
        let damaged = directory.path("damaged.tar")
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        return (whole, damaged, members[sixth].offset, members[sixth + 1].offset - members[sixth].offset)
    }

    @Test func runSkipsTheDamagedSampleOnlyAndSaysWhatItSkipped() throws {
        let directory = try TemporaryDirectory()
        let (_, damaged, offset, skipped) = try shards(directory)
        func run(_ policy: String) throws -> ProgramRun {
            try ProgramRun.run(sgid, ["run", damaged, "--pipeline", "random_resized_crop(size=24)", "--batch-size", "4",
                                      "--threads", "1", "--no-shuffle", "--on-error", policy])
        }
        for policy in ["skip", "warn"] {
            let result = try run(policy)
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.contains("14 images") && result.output.contains("skipped 1 (tar 1)"), "\(result.output)")
            #expect(result.output.contains("\(skipped) bytes of damaged archive skipped"), "\(result.output)")
            #expect(result.errors.contains("at byte \(offset)") == (policy == "warn"), "\(result.errors)")
        }
        let failing = try run("fail")
        #expect(failing.status == 1)
        #expect(failing.errors.contains("at byte \(offset)") && !failing.errors.contains("bytes to the next valid header"),
                "\(failing.errors)")
    }

    @Test func indexWithSkipErrorsReadsPastTheDamage() throws {
        let directory = try TemporaryDirectory()
        let (_, damaged, offset, skipped) = try shards(directory)
        let result = try ProgramRun.run(sgid, ["index", damaged, "--skip-errors"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.split(separator: "\n").count == 14)
        #expect(result.errors.contains("at byte \(offset)")
                && result.errors.contains("skipped \(skipped) bytes to the next valid header"), "\(result.errors)")
        let stopping = try ProgramRun.run(sgid, ["index", damaged])
        #expect(stopping.status == 1 && stopping.output.split(separator: "\n").count == 5, "\(stopping.output)")
    }

    @Test func wdsSecureAcceptsBooleansAndRefusesUnknownValues() throws {
        let directory = try TemporaryDirectory()
        let (whole, _, _, _) = try shards(directory)
        func index(_ value: String, _ source: String) throws -> ProgramRun {
            try ProgramRun.run("/usr/bin/env", ["WDS_SECURE=\(value)", sgid, "index", source])
        }
        let refused = try index("maybe", whole)
        #expect(refused.status != 0 && refused.errors.contains("WDS_SECURE='maybe'"), "\(refused.errors)")
        for on in ["1", "true", "TRUE", "yes", "On"] {
            let result = try index(on, "pipe:cat \(whole)")
            #expect(result.status != 0 && result.errors.contains("secure mode"), "WDS_SECURE=\(on): \(result.errors)")
            #expect(try index(on, whole).output.split(separator: "\n").count == 15)
        }
        for off in ["0", "false", "No", "off", ""] {
            let result = try index(off, "pipe:cat \(whole)")
            #expect(result.status == 0 && result.output.split(separator: "\n").count == 15, "WDS_SECURE=\(off): \(result.errors)")
        }
    }
}
