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
}
