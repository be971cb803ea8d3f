import Augment
import Foundation
import Loader
import Tar
import Testing
import TestSupport

/// Builds shards whose member layout is known, to damage one member's header exactly.
enum DamagedShards {
    /// Members of `count` samples `s0`, `s1`, … with the given extensions (payloads under 512 bytes, so every member
    /// takes 1024 bytes: a header and one data block).
    static func members(count: Int, extensions: [String] = ["jpg", "cls"]) -> [(String, [UInt8])] {
        (0..<count).flatMap { index in
            extensions.map { ext -> (String, [UInt8]) in
                switch ext {
                case "cls": ("s\(index).cls", WDSShards.text("\(index)"))
                case "json": ("s\(index).json", WDSShards.text(#"{"n": \#(index)}"#))
                default: ("s\(index).\(ext)", WDSShards.image + [UInt8(index)])
                }
            }
        }
    }

    /// The header offset of each member, as `TarWriter` lays them out (ustar headers, no PAX for short names).
    static func headerOffsets(_ members: [(String, [UInt8])]) -> [String: Int] {
        var offsets: [String: Int] = [:]
        var offset = 0
        for (name, data) in members {
            offsets[name] = offset
            offset += 512 + (data.count + 511) / 512 * 512
        }
        return offsets
    }

    /// Writes the archive with one byte of `member`'s header flipped (in its size field unless `at` says otherwise).
    static func writeDamaged(_ members: [(String, [UInt8])], member: String, at field: Int = 130, to path: String) throws {
        var bytes = try WDSShards.archive(members)
        bytes[headerOffsets(members)[member]! + field] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Every sample and error of a one-shard dataset as the loader's sequential reading delivers them.
    static func read(_ url: String, resynchronizing: Bool) throws -> (keys: [String], errors: [LoaderError]) {
        let dataset = try WebDatasetDataset(shards: [url], options: WebDatasetOptions(secureMode: false))
        var keys: [String] = []
        var errors: [LoaderError] = []
        _ = dataset.readSequentially(shards: [0], resynchronizing: resynchronizing) { result in
            switch result {
            case .success(let sample): keys.append(sample.key)
            case .failure(let error): errors.append(error)
            }
            return true
        }
        return (keys, errors)
    }
}

/// Damage inside a shard under the skip/warn policies: the complete sample before it is delivered, the damage is
/// reported with its offset and the bytes skipped, and reading goes on from the next valid header (GNU tar's
/// resynchronisation), so one flipped byte costs one sample. Under fail the reading stops at the error.
@Suite("WebDataset resynchronisation after damage")
struct WebDatasetResynchronizationTests {
    static let count = 10

    @Test("one flipped header byte costs exactly that sample when resynchronising, for every member of every sample")
    func everyHeaderFlipCostsOneSample() throws {
        let directory = try TemporaryDirectory(prefix: "wds-resync")
        let members = DamagedShards.members(count: Self.count)
        let offsets = DamagedShards.headerOffsets(members)
        let end = try WDSShards.archive(members).count
        for index in 0..<Self.count {
            for ext in ["jpg", "cls"] {
                let name = "s\(index).\(ext)"
                let path = directory.path("\(name).tar")
                try DamagedShards.writeDamaged(members, member: name, to: path)
                let (keys, errors) = try DamagedShards.read(path, resynchronizing: true)
                #expect(keys == (0..<Self.count).filter { $0 != index }.map { "s\($0)" }, "\(name): \(keys)")
                try #require(errors.count == 1, "\(name): \(errors)")
                let error = errors[0]
                let offset = offsets[name]!
                #expect(error.kind == .corruptArchive && error.location == path)
                #expect(error.offset == UInt64(offset) && error.member == name && error.key == "s\(index)", "\(error)")
                if offset + 1024 < end - 1024 {
                    #expect(error.skippedBytes == 1024 && error.resumeOffset == UInt64(offset + 1024), "\(error)")
                    #expect(error.description.hasSuffix("; skipped 1024 bytes to the next valid header at byte \(offset + 1024)"))
                } else {
                    // The last member: nothing valid follows, the scan runs over the end marker to the end.
                    #expect(error.skippedBytes == UInt64(end - offset) && error.resumeOffset == nil, "\(error)")
                }
            }
        }
    }

    @Test("without resynchronising (fail) the sample before the damage is still delivered, then the error, then nothing")
    func failModeKeepsTheSampleBefore() throws {
        let directory = try TemporaryDirectory(prefix: "wds-resync")
        let members = DamagedShards.members(count: Self.count)
        for index in [0, 3, 9] {
            for ext in ["jpg", "cls"] {
                let name = "s\(index).\(ext)"
                let path = directory.path("\(name).tar")
                try DamagedShards.writeDamaged(members, member: name, to: path)
                let (keys, errors) = try DamagedShards.read(path, resynchronizing: false)
                // Damage in s<k>.cls finds s<k>.jpg alone in the group: that is the damaged sample, not a complete one.
                #expect(keys == (0..<index).map { "s\($0)" }, "\(name): \(keys)")
                #expect(errors.count == 1 && errors.first?.key == "s\(index)" && errors.first?.skippedBytes == nil,
                        "\(name): \(errors)")
            }
        }
    }

    @Test("a three-part sample damaged in its middle member is dropped whole, once")
    func middleMemberDamage() throws {
        let directory = try TemporaryDirectory(prefix: "wds-resync")
        let members = DamagedShards.members(count: 6, extensions: ["jpg", "cls", "json"])
        let path = directory.path("middle.tar")
        try DamagedShards.writeDamaged(members, member: "s2.cls", to: path)
        let (keys, errors) = try DamagedShards.read(path, resynchronizing: true)
        #expect(keys == ["s0", "s1", "s3", "s4", "s5"])
        #expect(errors.count == 1 && errors.first?.key == "s2" && errors.first?.member == "s2.cls", "\(errors)")
    }

    @Test("a shard or pipe: stream cut short delivers the samples before the cut and counts the one it cut")
    func truncatedStreams() throws {
        let directory = try TemporaryDirectory(prefix: "wds-resync")
        let members = DamagedShards.members(count: Self.count)
        let offsets = DamagedShards.headerOffsets(members)
        let path = directory.path("whole.tar")
        try WDSShards.write(members, to: path)
        // Inside s4.jpg's data; inside s4.cls's header (s4.jpg alone is then the damaged sample, not delivered).
        for (cut, member) in [(offsets["s4.jpg"]! + 512 + 5, "s4.jpg"), (offsets["s4.cls"]! + 505, "s4.cls")] {
            let cutPath = directory.path("cut-\(cut).tar")
            try Data(try WDSShards.archive(members).prefix(cut)).write(to: URL(fileURLWithPath: cutPath))
            for (url, kind) in [(cutPath, LoaderError.Kind.corruptArchive), ("pipe:head -c \(cut) \(path)", .corruptArchive),
                                ("pipe:head -c \(cut) \(path); exit 3", .io)] {
                for resynchronizing in [false, true] {
                    let (keys, errors) = try DamagedShards.read(url, resynchronizing: resynchronizing)
                    #expect(keys == ["s0", "s1", "s2", "s3"], "\(url): \(keys)")
                    #expect(errors.count == 1, "\(url): \(errors)")
                    #expect(errors.first?.kind == kind && errors.first?.key == "s4" && errors.first?.member == member,
                            "\(url): \(errors)")
                }
            }
        }
    }

    @Test("the loader under skip and warn delivers every other sample and counts the damage and its bytes; fail stops")
    func loaderPolicies() throws {
        let directory = try TemporaryDirectory(prefix: "wds-resync")
        let members = (0..<12).flatMap { index -> [(String, [UInt8])] in
            [("s\(index).png", TestImages.png(index)), ("s\(index).cls", WDSShards.text("\(index % 2)"))]
        }
        let offsets = DamagedShards.headerOffsets(members)
        let path = directory.path("shard.tar")
        try DamagedShards.writeDamaged(members, member: "s5.png", to: path)
        let dataset = try WebDatasetDataset(shards: [path], options: WebDatasetOptions(secureMode: false))
        let skipped = UInt64(offsets["s5.cls"]! - offsets["s5.png"]!)
        for policy in [CorruptSamplePolicy.skip, .warn] {
            let configuration = LoaderConfiguration(batchSize: 4, shuffle: false, corruptPolicy: policy)
            let iterator = try DataLoader(dataset: dataset, configuration: configuration).epoch(0)
            let keys = try allBatches(iterator).flatMap(\.keys)
            #expect(keys == (0..<12).filter { $0 != 5 }.map { "s\($0)" })
            #expect(iterator.summary.skipped == ["corruptArchive": 1])
            #expect(iterator.summary.skippedArchiveBytes == skipped)
            #expect(iterator.summary.skippedExamples.first?.contains("at byte \(offsets["s5.png"]!) (key s5)") == true,
                    "\(iterator.summary.skippedExamples)")
        }
        let failing = try DataLoader(dataset: dataset, configuration: LoaderConfiguration(batchSize: 4, shuffle: false)).epoch(0)
        let error = #expect(throws: LoaderError.self) { try allBatches(failing) }
        #expect(error?.kind == .corruptArchive && error?.offset == UInt64(offsets["s5.png"]!) && error?.skippedBytes == nil)
    }

    @Test("garbage in place of a header is skipped block by block up to the next valid header")
    func garbageBlocks() throws {
        let members = DamagedShards.members(count: 4)
        let offsets = DamagedShards.headerOffsets(members)
        var bytes = try WDSShards.archive(members)
        // Three blocks of noise over s1.jpg's header and data and s1.cls's header: s1 is lost whole.
        let start = offsets["s1.jpg"]!
        for index in start..<start + 1536 { bytes[index] = UInt8(truncatingIfNeeded: index &* 131 &+ 7) | 1 }
        let directory = try TemporaryDirectory(prefix: "wds-resync")
        let path = directory.path("noise.tar")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (keys, errors) = try DamagedShards.read(path, resynchronizing: true)
        // The cls data block that follows is no header either; s2.jpg's header is the next valid one.
        #expect(keys == ["s0", "s2", "s3"])
        #expect(errors.count == 1 && errors.first?.offset == UInt64(start) && errors.first?.skippedBytes == 2048
                && errors.first?.resumeOffset == UInt64(offsets["s2.jpg"]!), "\(errors)")
        #expect(errors.first?.key == nil, "noise names no sample")
    }
}
