import CacheShard
import Foundation
import Testing
import TestSupport

/// Runs `Formats/CacheShard/reference_cache.py`, the Python reader/writer written from SPEC.md alone.
private enum ReferenceCache {
    struct Missing: Error, CustomStringConvertible { let description: String }

    static let script = PeerPython.repositoryRoot.appendingPathComponent("Formats/CacheShard/reference_cache.py").path

    @discardableResult
    static func run(_ arguments: [String]) throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: PeerPython.interpreter) else {
            throw Missing(description: "peer Python not found at \(PeerPython.interpreter); run scripts/setup.sh (or set SGID_PYTHON)")
        }
        return try PeerPython.runProcess(PeerPython.interpreter, [script] + arguments)
    }

    /// `dump`'s output: one parsed line per record, plus each line's provenance as canonical JSON.
    static func dump(_ target: String) throws -> [(line: DumpLine, provenance: String)] {
        let output = try run(["dump", target])
        return try output.split(separator: UInt8(ascii: "\n")).map { raw in
            let data = Data(raw)
            let line = try JSONDecoder().decode(DumpLine.self, from: data)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return (line, try canonicalJSON(object: try #require(object["provenance"])))
        }
    }
}

private struct DumpLine: Decodable {
    struct Variant: Decodable {
        var width: Int, height: Int, channels: Int, codec: UInt8, quality: Int, seed: UInt64, score: Double?
        var payloadSHA256: String
        enum CodingKeys: String, CodingKey {
            case width, height, channels, codec, quality, seed, score
            case payloadSHA256 = "payload_sha256"
        }
    }
    var shard: String, offset: UInt64, key: String, sourceDigest: String, fingerprint: String, variants: [Variant]
    enum CodingKeys: String, CodingKey {
        case shard, offset, key, fingerprint, variants
        case sourceDigest = "source_digest"
    }
}

/// The input of `reference_cache.py write`.
private struct WriteSpec: Encodable {
    struct Variant: Encodable {
        var width: Int, height: Int, channels: Int, codec: UInt8, quality: Int, seed: UInt64, score: Float?
        var payload: [UInt8]
        enum CodingKeys: String, CodingKey {
            case width, height, channels, codec, quality, seed, score
            case payloadBase64 = "payload_base64"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(width, forKey: .width)
            try container.encode(height, forKey: .height)
            try container.encode(channels, forKey: .channels)
            try container.encode(codec, forKey: .codec)
            try container.encode(quality, forKey: .quality)
            try container.encode(seed, forKey: .seed)
            if let score { try container.encode(Double(score), forKey: .score) } else { try container.encodeNil(forKey: .score) }
            try container.encode(Data(payload).base64EncodedString(), forKey: .payloadBase64)
        }
    }
    struct Provenance: Encodable {
        var model: String, prompt: String, strength: Double, steps: Int, settings: [String: String]
    }
    struct Record: Encodable {
        var key: String, sourceDigest: String, fingerprint: String
        var provenance: Provenance?
        var provenanceJSON: String?
        var variants: [Variant]
        enum CodingKeys: String, CodingKey {
            case key, fingerprint, provenance, variants
            case sourceDigest = "source_digest"
            case provenanceJSON = "provenance_json"
        }
    }
    var records: [Record]
}

private func canonicalJSON(object: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
}

private func canonicalJSON(_ text: String) throws -> String {
    try canonicalJSON(object: try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
}

/// A variant as one line of text, its payload as SHA-256, so a mismatch reads at a glance.
private func summary(_ variant: CacheVariant) -> String {
    "\(variant.width)x\(variant.height)x\(variant.channels) \(variant.codec) seed \(variant.seed) score "
        + "\(variant.score.map { "\($0) (\($0.bitPattern))" } ?? "nil") \(variant.payload.count) bytes \(SHA256.digest(variant.payload))"
}

/// A record as one line of text (see the variant form).
private func summary(_ record: CacheRecord) -> String {
    "\(record.meta.key) \(record.meta.sourceDigest) \(record.meta.fingerprint) \(record.meta.provenanceJSON) "
        + "[\(record.variants.map(summary).joined(separator: "; "))]"
}

/// Deterministic bytes: a gradient plus xorshift noise (compressible, never constant).
private func pseudoBytes(_ count: Int, seed: Int) -> [UInt8] {
    var state = UInt32(truncatingIfNeeded: seed &* 2_654_435_761 &+ 12_345)
    return (0..<count).map { position in
        state ^= state << 13; state ^= state >> 17; state ^= state << 5
        return UInt8(truncatingIfNeeded: position / 7 &+ Int(state & 15))
    }
}

private let interopKeys = [
    "class0/image-0.jpg", "日本語/猫 🐱.png", "ünïcode/key with spaces.jpg", "emoji/👩‍👩‍👧 family.webp",
    #"quote"and\backslash"#, "tab\tnew\nline", String(repeating: "long/é", count: 400), "",
]
private let interopFingerprints = ["sha256:" + SHA256.digest(Array("settings-a".utf8)).description, "generator/ß-v2", "f"]
private let interopScores: [Float?] = [nil, 0.25, -1.5, .pi, 0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, nil, -0.001]
private let interopSeeds: [UInt64] = [0, 7, .max, 1 << 63, 123_456_789_012_345]

/// Variant `index` of record `seed`, cycling through codecs, channel counts, JPEG qualities, scores and seeds.
private func interopVariant(_ seed: Int, _ index: Int) -> CacheVariant {
    let channels = [1, 3, 4][(seed + index) % 3]
    let width = 3 + (seed * 5 + index) % 11, height = 2 + (seed + index * 3) % 7
    let score = interopScores[(seed * 3 + index) % interopScores.count]
    let variantSeed = interopSeeds[(seed + index) % interopSeeds.count] &+ UInt64(index)
    switch (seed + index) % 4 {
    case 0, 3:
        return CacheVariant(width: width, height: height, channels: channels, codec: .raw, seed: variantSeed,
                            score: score, payload: pseudoBytes(width * height * channels, seed: seed * 10 + index))
    case 1:
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pseudoBytes(50 + seed * 13, seed: seed + index)
        return CacheVariant(width: width * 10, height: height * 10, channels: channels, codec: .png, seed: variantSeed,
                            score: score, payload: index == 2 ? [] : png)
    default:
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + pseudoBytes(80 + index * 17, seed: seed * 3 + index)
        return CacheVariant(width: 640, height: 480, channels: 3, codec: .jpeg(quality: [1, 75, 100, 90][(seed + index) % 4]),
                            seed: variantSeed, score: score, payload: jpeg)
    }
}

/// Record `seed`: K = `seed % 6` (0 through 5) variants, a key, fingerprint and provenance picked from the lists above.
private func interopRecord(_ seed: Int) -> CacheRecord {
    let prompt = String(decoding: (try? JSONEncoder().encode("a photo of «\(interopKeys[seed % interopKeys.count].prefix(20))»")) ?? Data(), as: UTF8.self)
    let provenance = """
        {"model":"tiny-sd","revision":"r\(seed)","prompt":\(prompt),\
        "strength":0.5,"guidance":7.5,"steps":\(seed),"created":1700000000.25,"settings":{"size":[512,512],"fp16":true,\
        "lora":null},"variants":[{"seed":7,"score":0.31,"dropped":false}],"x-unknown":"kept"}
        """
    return CacheRecord(key: interopKeys[seed % interopKeys.count], sourceDigest: CacheFixtures.digest(seed),
                       fingerprint: interopFingerprints[seed % interopFingerprints.count], provenanceJSON: provenance,
                       variants: (0..<(seed % 6)).map { interopVariant(seed, $0) })
}

@Suite("Cache shard interoperability with the Python reference (SPEC.md is sufficient)")
struct CacheInteropTests {
    /// Checks one `dump` line against the record Swift wrote.
    private func expectLine(_ dumped: (line: DumpLine, provenance: String), equals record: CacheRecord) throws {
        let line = dumped.line
        #expect(line.key == record.meta.key)
        #expect(line.sourceDigest == record.meta.sourceDigest.description)
        #expect(line.fingerprint == record.meta.fingerprint)
        #expect(dumped.provenance == (try canonicalJSON(record.meta.provenanceJSON)))
        try #require(line.variants.count == record.variants.count, "variant count of '\(record.meta.key)'")
        for (got, want) in zip(line.variants, record.variants) {
            #expect(got.width == want.width && got.height == want.height && got.channels == want.channels)
            #expect(got.codec == want.codec.number)
            if case .jpeg(let quality) = want.codec { #expect(got.quality == quality) } else { #expect(got.quality == 0) }
            #expect(got.seed == want.seed)
            #expect(got.score.map(Float.init) == want.score, "score of '\(record.meta.key)'")
            #expect(got.payloadSHA256 == SHA256.digest(want.payload).description)
        }
    }

    @Test func pythonReferenceReadsShardsSwiftWrote() throws {
        let directory = try TemporaryDirectory(prefix: "sgid-interop")
        var written: [String: [UInt64: CacheRecord]] = [:]
        let first = "rank-00000-of-00002", second = "rank-00001-of-00002-1"
        do {
            let writer = try CacheShardWriter(path: directory.path(first), options: .init(commitEveryRecords: 3))
            for seed in 0..<8 { written[first + ".sgidc", default: [:]][try writer.append(interopRecord(seed)).offset] = interopRecord(seed) }
            try writer.close()
        }
        do {
            let writer = try CacheShardWriter(path: directory.path(first + ".sgidc"), options: .init(commitEveryRecords: 2))
            #expect(writer.recovery.committedRecords == 8 && writer.recovery.truncatedBytes == 0)
            for seed in 8..<13 { written[first + ".sgidc", default: [:]][try writer.append(interopRecord(seed)).offset] = interopRecord(seed) }
            try writer.close()
        }
        do {
            let writer = try CacheShardWriter(path: directory.path(second))
            for seed in 13..<17 { written[second + ".sgidc", default: [:]][try writer.append(interopRecord(seed)).offset] = interopRecord(seed) }
            try writer.close()
        }

        let lines = try ReferenceCache.dump(directory.url.path)
        #expect(lines.count == 17)
        // Shards in name order, records in file order.
        let expectedOrder = [first, second].flatMap { stem in
            written[stem + ".sgidc", default: [:]].keys.sorted().map { (stem + ".sgidc", $0) }
        }
        #expect(lines.map(\.line.shard) == expectedOrder.map(\.0))
        #expect(lines.map(\.line.offset) == expectedOrder.map(\.1))
        for dumped in lines {
            let record = try #require(written[dumped.line.shard]?[dumped.line.offset], "no record at \(dumped.line.offset)")
            try expectLine(dumped, equals: record)
        }
        // The single-shard form of the command.
        let single = try ReferenceCache.dump(directory.path(second + ".sgidc"))
        #expect(single.map(\.line.key) == (13..<17).map { interopRecord($0).meta.key })
    }

    @Test func swiftReadsAndExtendsAShardPythonWrote() throws {
        let directory = try TemporaryDirectory(prefix: "sgid-interop")
        let seeds = Array(20..<32)
        let expected = seeds.map(interopRecord)
        // Even records carry their provenance verbatim, odd ones as an object the script serializes itself.
        let objectProvenance = WriteSpec.Provenance(model: "tiny-sd", prompt: "ein Foto — 猫", strength: 0.75, steps: 4,
                                                    settings: ["scheduler": "ddim", "size": "512"])
        let spec = WriteSpec(records: expected.enumerated().map { position, record in
            WriteSpec.Record(
                key: record.meta.key, sourceDigest: record.meta.sourceDigest.description, fingerprint: record.meta.fingerprint,
                provenance: position % 2 == 1 ? objectProvenance : nil,
                provenanceJSON: position % 2 == 0 ? record.meta.provenanceJSON : nil,
                variants: record.variants.map { variant in
                    var quality = 0
                    if case .jpeg(let value) = variant.codec { quality = value }
                    return WriteSpec.Variant(width: variant.width, height: variant.height, channels: variant.channels,
                                             codec: variant.codec.number, quality: quality, seed: variant.seed,
                                             score: variant.score, payload: variant.payload)
                })
        })
        let specPath = directory.path("spec.json")
        try JSONEncoder().encode(spec).write(to: URL(fileURLWithPath: specPath))
        let stem = directory.path("python-shard")
        try ReferenceCache.run(["write", stem, specPath])
        let objectJSON = try canonicalJSON(String(decoding: try JSONEncoder().encode(objectProvenance), as: UTF8.self))

        func expectRecords(_ reader: CacheShardReader, count: Int) throws {
            try #require(reader.index.entries.count == count)
            for (position, entry) in reader.index.entries.prefix(expected.count).enumerated() {
                var want = expected[position]
                let got = try reader.record(of: entry)
                if position % 2 == 1 {
                    #expect(try canonicalJSON(got.meta.provenanceJSON) == objectJSON)
                    want.meta.provenanceJSON = got.meta.provenanceJSON
                }
                #expect(summary(got) == summary(want), "record \(position)")
                #expect(entry.key == want.meta.key && entry.sourceDigest == want.meta.sourceDigest
                        && entry.fingerprint == want.meta.fingerprint && entry.variantCount == want.variants.count)
                for index in 0..<entry.variantCount {
                    let variant = try reader.variant(of: entry, at: index)
                    #expect(summary(variant) == summary(want.variants[index]), "record \(position) variant \(index)")
                }
            }
        }

        // Through the index the script installed.
        let dataSize = try #require(try FileManager.default.attributesOfItem(atPath: stem + ".sgidc")[.size] as? Int)
        let reader = try CacheShardReader(path: stem)
        #expect(reader.index.committedLength == UInt64(dataSize))
        #expect(reader.index.entries.first?.offset == 16)
        for (entry, next) in zip(reader.index.entries, reader.index.entries.dropFirst()) {
            #expect(next.offset == entry.offset + UInt64(entry.length))
        }
        try expectRecords(reader, count: expected.count)
        let verification = reader.verify()
        #expect(verification.isClean, "\(verification.problems)")
        #expect(verification.records == expected.count)

        // By scanning the data file alone (no index beside it).
        try FileManager.default.copyItem(atPath: stem + ".sgidc", toPath: directory.path("scan-only.sgidc"))
        let scanned = try CacheShardReader(path: directory.path("scan-only.sgidc"))
        #expect(scanned.index.committedLength == reader.index.committedLength)
        #expect(scanned.index.entries == reader.index.entries)
        try expectRecords(scanned, count: expected.count)

        // The Swift writer takes the Python shard over and appends; the committed bytes stay untouched.
        let before = try Data(contentsOf: URL(fileURLWithPath: stem + ".sgidc"))
        do {
            let writer = try CacheShardWriter(path: stem + ".sgidc")
            #expect(writer.recovery.committedRecords == expected.count)
            #expect(writer.recovery.recoveredRecords == 0 && writer.recovery.truncatedBytes == 0)
            #expect(!writer.recovery.rebuiltIndex && writer.recovery.reason == nil)
            #expect(writer.allEntries == reader.index.entries)
            try writer.append(interopRecord(40))
            try writer.append(interopRecord(41))
            try writer.close()
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: stem + ".sgidc"))
        #expect(after.prefix(before.count) == before)
        let extended = try CacheShardReader(path: stem)
        try expectRecords(extended, count: expected.count + 2)
        #expect(summary(try extended.record(of: extended.index.entries[expected.count])) == summary(interopRecord(40)))
        #expect(summary(try extended.record(of: extended.index.entries[expected.count + 1])) == summary(interopRecord(41)))
        #expect(extended.verify().isClean)

        // And the reference reads the mixed shard back (Python records, Swift records, Swift index).
        let lines = try ReferenceCache.dump(stem + ".sgidc")
        #expect(lines.map(\.line.key) == (seeds + [40, 41]).map { interopRecord($0).meta.key })
        try expectLine(lines[expected.count], equals: interopRecord(40))
        try expectLine(lines[expected.count + 1], equals: interopRecord(41))
    }
}
