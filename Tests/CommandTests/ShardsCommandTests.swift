import Foundation
import ImageCodec
import Testing
import TestSupport

/// `sgid shards create`, `sgid index` and `sgid run` on real files, with the live webdataset reading our shards.
@Suite("sgid shards, index and run")
struct ShardsCommandTests {
    let sgid = BuiltProducts.path("sgid")

    /// An ImageFolder of 3 classes × 5 JPEGs (with a dot in a file name and an uppercase extension).
    static func imageFolder(_ directory: TemporaryDirectory) throws -> String {
        let root = directory.path("images")
        for (classIndex, name) in ["ant", "bee", "cat"].enumerated() {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            for index in 0..<5 {
                var image = Image(width: 40 + index, height: 30, channels: 3)
                for y in 0..<30 { for x in 0..<(40 + index) { image[x, y, classIndex] = UInt8((x * 5 + y * 3 + index) % 256) } }
                let file = index == 3 ? "img.v2.\(index).JPG" : "img\(index).jpg"
                try Data(JPEGEncoder.encode(image, quality: 90)).write(to: URL(fileURLWithPath: "\(root)/\(name)/\(file)"))
            }
        }
        return root
    }

    struct IndexLine: Decodable, Equatable {
        let key: String
        let label: Int?
        let `class`: String?
        let parts: [String]?
        let image: Bool?
    }

    struct PeerLine: Decodable {
        let key: String?
        let parts: [String: String]?
        let decoded: [String: Int]?
        let error: String?

        enum CodingKeys: String, CodingKey { case key, parts, decoded, error }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            key = try container.decodeIfPresent(String.self, forKey: .key)
            parts = try container.decodeIfPresent([String: String].self, forKey: .parts)
            error = try container.decodeIfPresent(String.self, forKey: .error)
            decoded = (try? container.decodeIfPresent([String: Int].self, forKey: .decoded)) ?? nil
        }
    }

    static func lines<T: Decodable>(_ text: String, as type: T.Type) throws -> [T] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }

    @Test func ourShardsReadTheSameInTheLiveWebdatasetAndInSgidIndex() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory)
        let create = try ProgramRun.run(sgid, ["shards", "create", images, "--out", directory.path("shards/s-%04d.tar"), "--max-count", "4"])
        #expect(create.status == 0, "\(create.errors)")
        let shards = try FileManager.default.contentsOfDirectory(atPath: directory.path("shards")).sorted()
        #expect(shards == ["s-0000.tar", "s-0001.tar", "s-0002.tar", "s-0003.tar"])
        let pattern = directory.path("shards/s-{0000..0003}.tar")
        let ours = try Self.lines(try ProgramRun.run(sgid, ["index", pattern]).output, as: IndexLine.self)
        let folder = try Self.lines(try ProgramRun.run(sgid, ["index", images]).output, as: IndexLine.self)
        #expect(ours.count == 15)
        #expect(ours.map(\.label) == folder.map(\.label))
        #expect(ours.map(\.class) == folder.map(\.class))
        #expect(ours.map(\.key).contains("ant/img_v2_3"))  // other dots of a file name become underscores
        let peer = try Self.lines(String(decoding: try PeerPython.run("wds_dump.py", shards.map { directory.path("shards/" + $0) }),
                                         as: UTF8.self), as: PeerLine.self)
        #expect(peer.allSatisfy { $0.error == nil })
        #expect(peer.compactMap(\.key) == ours.map(\.key))
        #expect(peer.compactMap { $0.decoded?["cls"] } == ours.compactMap(\.label))
        for line in peer { #expect(Set((line.parts ?? [:]).keys).isSuperset(of: ["cls", "json"])) }
        print("sgid shards create: \(peer.count) samples in \(shards.count) shards read identically by webdataset")
    }

    @Test func runIsDeterministicAcrossThreadsAndSkipsCorruptSamples() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory)
        let broken = images + "/bee/img1.jpg"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: broken))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: broken))
        func run(_ threads: Int, _ policy: String) throws -> ProgramRun {
            try ProgramRun.run(sgid, ["run", images, "--pipeline", "random_resized_crop(size=24) | hflip", "--batch-size", "4",
                                      "--epochs", "2", "--threads", "\(threads)", "--seed", "3", "--digest", "--on-error", policy])
        }
        let one = try run(1, "skip"), four = try run(4, "skip")
        #expect(one.status == 0 && four.status == 0, "\(one.errors)")
        let digests = { (run: ProgramRun) in run.output.split(separator: "\n").map { $0.split(separator: " ").last ?? "" } }
        #expect(digests(one) == digests(four))
        #expect(one.output.contains("14 images") && one.output.contains("skipped 1 (decode 1)"), "\(one.output)")
        let failing = try run(2, "fail")
        #expect(failing.status == 1)
        #expect(failing.errors.contains("bee/img1.jpg") && failing.errors.contains("truncated"), "\(failing.errors)")
    }

    /// Issue 15: a shard as webdataset's own tests mix them (a `__meta__.json` sample, text-only `.txt.gz` samples,
    /// `.ten` tensors, images with labels), written by webdataset's TarWriter: `sgid index` lists it key for key and
    /// part for part as the live webdataset iterates it; `run` skips and counts the samples without an image by
    /// default and names the first one under `--require-image`.
    @Test func indexListsEverySampleAsWebdatasetDoesAndRunSkipsThoseWithoutAnImage() throws {
        let directory = try TemporaryDirectory()
        let shard = directory.path("mixed.tar")
        struct Made: Decodable { let images: Int, others: Int }
        let made = try JSONDecoder().decode(Made.self, from: try PeerPython.run("wds_mixed_shard.py", [shard]))
        let ours = try Self.lines(try ProgramRun.run(sgid, ["index", shard]).output, as: IndexLine.self)
        let peer = try Self.lines(String(decoding: try PeerPython.run("wds_dump.py", [shard]), as: UTF8.self), as: PeerLine.self)
        #expect(peer.allSatisfy { $0.error == nil })
        #expect(ours.count == made.images + made.others && ours.map(\.key) == peer.compactMap(\.key))
        for (line, peerLine) in zip(ours, peer) {
            #expect(Set(line.parts ?? []) == Set((peerLine.parts ?? [:]).keys), "\(line.key)")
            #expect(line.label == peerLine.decoded?["cls"], "\(line.key)")
        }
        #expect(ours.filter { $0.image == true }.count == made.images && ours.first?.key == "__meta__")
        for threads in ["1", "2"] {
            let run = try ProgramRun.run(sgid, ["run", shard, "--batch-size", "2", "--threads", threads])
            #expect(run.status == 0 && run.output.contains("\(made.images) images, ")
                    && run.output.contains("skipped \(made.others) (no image \(made.others))"), "\(run.output) \(run.errors)")
        }
        let strict = try ProgramRun.run(sgid, ["run", shard, "--batch-size", "2", "--no-shuffle", "--require-image"])
        #expect(strict.status == 1 && strict.errors.contains("__meta__.json") && strict.errors.contains("no image part"), "\(strict.errors)")
    }

    /// Review finding: `--out` naming the input shards truncated them while writing (the samples were read into
    /// memory first, so only a failure part-way lost them): refused, the inputs untouched.
    @Test func shardsCreateRefusesToWriteOverItsInputs() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory)
        let pattern = directory.path("s-%02d.tar")
        #expect(try ProgramRun.run(sgid, ["shards", "create", images, "--out", pattern, "--max-count", "8"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.path("s-00.tar")))
        let again = try ProgramRun.run(sgid, ["shards", "create", directory.path("s-{00..01}.tar"), "--out", pattern])
        #expect(again.status == 1 && again.errors.contains("is one of the input shards"), "\(again.errors)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("s-00.tar"))) == before)
    }

    /// Issue 15: `run --pipeline` takes what `augment` and `preview` take: inline text, the JSON form, or a file holding
    /// either; all four spellings of one pipeline give the same batches, and a file that does not parse names itself.
    @Test func runReadsThePipelineFromAFileOrJSON() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory)
        let inline = "random_resized_crop(size=24, scale=0.5:1) | hflip(p=0.5)"
        let json = #"{"version": 1, "pipeline": [{"op": "random_resized_crop", "size": 24, "scale": [0.5, 1]}, {"op": "hflip", "p": 0.5}]}"#
        try inline.write(toFile: directory.path("spec.txt"), atomically: true, encoding: .utf8)
        try json.write(toFile: directory.path("spec.json"), atomically: true, encoding: .utf8)
        func digests(_ pipeline: String) throws -> [Substring] {
            let run = try ProgramRun.run(sgid, ["run", images, "--pipeline", pipeline, "--batch-size", "5", "--threads", "2",
                                                "--seed", "9", "--epochs", "2", "--digest"])
            #expect(run.status == 0, "\(pipeline): \(run.errors)")
            return run.output.split(separator: "\n").filter { $0.contains("digest") }.compactMap { $0.split(separator: " ").last }
        }
        let reference = try digests(inline)
        #expect(reference.count == 2 && reference[0] != reference[1])
        for spelling in [json, directory.path("spec.txt"), directory.path("spec.json")] {
            #expect(try digests(spelling) == reference, "\(spelling)")
        }
        try #"{"version": 1, "pipeline": [{"op": "random_resized_crop", "size": -3}]}"#
            .write(toFile: directory.path("bad.json"), atomically: true, encoding: .utf8)
        let bad = try ProgramRun.run(sgid, ["run", images, "--pipeline", directory.path("bad.json"), "--batch-size", "5"])
        #expect(bad.status == 2 && bad.errors.contains("random_resized_crop") && bad.errors.contains("size"), "\(bad.errors)")
    }

    /// Issue 14: `--out 'x-%s.tar'` reached `String(format:)` and crashed. Every pattern is parsed: one integer field
    /// with an optional width, `%%` literal; anything else is a usage error (exit 2), never a crash.
    @Test func outputPatternsAreParsedNotFormatted() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory)
        for bad in ["x-%s.tar", "x-%n.tar", "x-%d-%d.tar", "x.tar", "x-%.tar", "x-%1$d.tar", "x-%99d.tar", "x-%ld.tar", "x-%x.tar",
                    "x-%", "%*d", "x-%-5d.tar", "x-%021d.tar"] {
            let run = try ProgramRun.run(sgid, ["shards", "create", images, "--out", directory.path(bad)])
            #expect(run.status == 2 && run.errors.contains("--out"), "'\(bad)': \(run.status) \(run.errors)")
        }
        // Random patterns over the printf alphabet: a usage error or shards, never a signal.
        var generator = SplitMix64(seed: 4)
        let alphabet = Array("%%%d0123456789sxn*.$-lx")
        for _ in 0..<40 {
            let pattern = "p" + String((0..<(1 + generator.below(6))).map { _ in alphabet[generator.below(alphabet.count)] }) + ".tar"
            let run = try ProgramRun.run(sgid, ["shards", "create", images, "--out", directory.path("fuzz/" + pattern), "--max-count", "8"])
            #expect(run.status == 0 || run.status == 2, "'\(pattern)' exited \(run.status): \(run.errors)")
        }
        let good = try ProgramRun.run(sgid, ["shards", "create", images, "--out", directory.path("ok/100%%-%3d.tar"), "--max-count", "8"])
        #expect(good.status == 0, "\(good.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("ok")).sorted() == ["100%-  0.tar", "100%-  1.tar"])
    }

    /// Issue 14: a `.json` part that does not parse was dropped silently. Shards to shards now carries every part
    /// through byte for byte, as webdataset's writer does, read back identically by the live webdataset.
    @Test func shardsToShardsCarryEveryPartByteForByte() throws {
        let directory = try TemporaryDirectory()
        let image = try JPEGEncoder.encode(Image(width: 8, height: 8, channels: 3), quality: 90)
        let members: [(String, [UInt8])] = [
            ("a.jpg", image), ("a.cls", Array("1".utf8)), ("a.json", Array("{not json".utf8)), ("a.extra.bin", [0, 1, 2, 255]),
            ("b.jpg", image), ("b.cls", Array("0".utf8)), ("b.json", Array(#"{"x": 1.50, "y": [1,2]}"#.utf8)), ("b.txt", Array("a cat".utf8)),
        ]
        let source = directory.path("in.tar")
        try Data(try Self.tarArchive(members)).write(to: URL(fileURLWithPath: source))
        let run = try ProgramRun.run(sgid, ["shards", "create", source, "--out", directory.path("out-%d.tar")])
        #expect(run.status == 0, "\(run.errors)")
        let copied = try Self.tarMembers(directory.path("out-0.tar"))
        #expect(copied.map(\.0) == members.map(\.0))
        #expect(copied.map(\.1) == members.map(\.1))
    }

    /// The members of a tar file, read by Python's tarfile (the peer).
    static func tarMembers(_ path: String) throws -> [(String, [UInt8])] {
        let script = "import json, sys, tarfile\nwith tarfile.open(sys.argv[1]) as t:\n    print(json.dumps([[m.name, list(t.extractfile(m).read())] for m in t.getmembers()]))"
        let output = try PeerPython.runProcess(PeerPython.interpreter, ["-c", script, path], input: nil)
        let list = try JSONSerialization.jsonObject(with: output) as? [[Any]] ?? []
        return list.map { ($0[0] as? String ?? "", ($0[1] as? [Int] ?? []).map(UInt8.init)) }
    }

    /// A tar archive of the members, written by Python's tarfile (the peer).
    static func tarArchive(_ members: [(String, [UInt8])]) throws -> [UInt8] {
        let script = "import io, json, sys, tarfile\nb = io.BytesIO()\nwith tarfile.open(fileobj=b, mode='w', format=tarfile.USTAR_FORMAT) as t:\n    for n, d in json.load(sys.stdin):\n        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(bytes(d)))\nsys.stdout.buffer.write(b.getvalue())"
        let input = try JSONSerialization.data(withJSONObject: members.map { [$0.0, $0.1.map(Int.init)] as [Any] })
        return [UInt8](try PeerPython.runProcess(PeerPython.interpreter, ["-c", script], input: input))
    }
}
