import Foundation
import ImageCodec
import Testing
import TestSupport

/// `sgid shards create --max-side N`: sizes and pixels equal Pillow's thumbnail, small images byte-identical,
/// provenance in `.json`, and the live webdataset still reads the shards.
@Suite("sgid shards create --max-side")
struct PreparedShardsCommandTests {
    let sgid = BuiltProducts.path("sgid")

    /// A textured test image (smooth gradients with a fine pattern, so resampling has something to do).
    static func image(width: Int, height: Int, channels: Int) -> Image {
        var image = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels { image[x, y, c] = UInt8((x * 7 + y * 13 + c * 50 + (x * y) % 17 * 9) % 256) }
            }
        }
        return image
    }

    /// An ImageFolder of PNGs and JPEGs (colour and gray, wide and tall, larger and smaller than 32 px).
    static func imageFolder(_ directory: TemporaryDirectory) throws -> String {
        let root = directory.path("images")
        let files: [(String, Image, Bool)] = [
            ("ant/wide.png", image(width: 97, height: 61, channels: 3), false),
            ("ant/tall.png", image(width: 23, height: 70, channels: 3), false),
            ("ant/gray.png", image(width: 50, height: 41, channels: 1), false),
            ("bee/small.png", image(width: 20, height: 15, channels: 3), false),
            ("bee/edge.png", image(width: 32, height: 32, channels: 3), false),
            ("bee/photo.jpg", image(width: 120, height: 80, channels: 3), true),
            ("cat/gray.jpg", image(width: 64, height: 48, channels: 1), true),
            ("cat/small.jpg", image(width: 30, height: 12, channels: 3), true),
        ]
        for (path, image, jpeg) in files {
            try FileManager.default.createDirectory(atPath: root + "/" + (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            let bytes = jpeg ? try JPEGEncoder.encode(image, quality: 95) : try PNGEncoder.encode(image)
            try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + path))
        }
        return root
    }

    @Test func resizedImagesMatchPillowAndSmallOnesAreCopied() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory)
        let run = try ProgramRun.run(sgid, ["shards", "create", images, "--out", directory.path("s-%d.tar"), "--max-count", "5",
                                            "--max-side", "32", "--quality", "80"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("5 image(s) resized, 3 copied"), "\(run.output)")
        let shards = [directory.path("s-0.tar"), directory.path("s-1.tar")]
        let output = try PeerPython.run("prepared_shards_peer.py", ["32", "80", images] + shards)
        let lines = try output.split(separator: UInt8(ascii: "\n")).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
        #expect(lines.count == 8)
        for line in lines {
            let key = line["key"] as? String ?? "?"
            let source = line["source_size"] as? [Int] ?? []
            #expect(line["ours_size"] as? [Int] == line["pillow_size"] as? [Int], "\(key): \(line)")
            let json = line["json"] as? [String: Any]
            if source.max() ?? 0 > 32 {
                #expect(line["identical"] as? Bool == false, "\(key)")
                #expect(json?["original_size"] as? [Int] == source, "\(key): \(line)")
                #expect(json?["class"] as? String == String(key.prefix(3)), "\(key): the class name is kept")
                if line["ext"] as? String == "png" {
                    #expect(line["equal_pixels"] as? Bool == true, "\(key): \(line)")
                } else {
                    // Our JPEG and Pillow's JPEG of Pillow's resize, both libjpeg-turbo at quality 80 and 4:2:0; the
                    // encoders' builds may differ in DCT/rounding, so a small tolerance rather than equality.
                    #expect((line["jpeg_mean"] as? Double ?? 99) < 0.5, "\(key): \(line)")
                    #expect((line["jpeg_max"] as? Int ?? 99) <= 4, "\(key): \(line)")
                }
            } else {
                #expect(line["identical"] as? Bool == true, "\(key): small images are copied byte for byte")
                #expect(json?["original_size"] == nil, "\(key)")
            }
            print("prepared \(key): \(source) -> \(line["ours_size"] ?? "?") \(line["jpeg_mean"].map { "JPEG mean diff \($0)" } ?? "")")
        }
        let dump = try String(decoding: PeerPython.run("wds_dump.py", shards), as: UTF8.self)
        #expect(dump.split(separator: "\n").count == 8 && !dump.contains("\"error\""), "\(dump)")
    }

    @Test func provenanceMergesIntoAJSONObjectAndRefusesAnythingElse() throws {
        let directory = try TemporaryDirectory()
        let large = try PNGEncoder.encode(Self.image(width: 40, height: 10, channels: 3))
        let members: [(String, [UInt8])] = [
            ("a.png", large), ("a.json", Array(#"{"caption": "x", "original_size": [400, 100]}"#.utf8)),
            ("b.png", large), ("b.cls", Array("2".utf8)),
            ("c.png", large), ("c.json", Array(#"{"caption": "y"}"#.utf8)),
        ]
        let source = directory.path("in.tar")
        try Data(try ShardsCommandTests.tarArchive(members)).write(to: URL(fileURLWithPath: source))
        let run = try ProgramRun.run(sgid, ["shards", "create", source, "--out", directory.path("out-%d.tar"), "--max-side", "20"])
        #expect(run.status == 0, "\(run.errors)")
        let written = try ShardsCommandTests.tarMembers(directory.path("out-0.tar"))
        #expect(written.map(\.0) == ["a.png", "a.json", "b.png", "b.cls", "b.json", "c.png", "c.json"])
        let json = Dictionary(written.filter { $0.0.hasSuffix(".json") }.map { ($0.0, String(decoding: $0.1, as: UTF8.self)) },
                              uniquingKeysWith: { first, _ in first })
        #expect(json["a.json"] == #"{"caption":"x","original_size":[400,100]}"#, "an earlier original size is kept")
        #expect(json["b.json"] == #"{"original_size":[40,10]}"#)
        #expect(json["c.json"] == #"{"caption":"y","original_size":[40,10]}"#)

        let bad: [(String, [UInt8])] = [("ok.png", large), ("odd.png", large), ("odd.json", Array("[1, 2]".utf8))]
        try Data(try ShardsCommandTests.tarArchive(bad)).write(to: URL(fileURLWithPath: directory.path("bad.tar")))
        let refused = try ProgramRun.run(sgid, ["shards", "create", directory.path("bad.tar"), "--out", directory.path("bad-%d.tar"),
                                                "--max-side", "20"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("sample odd: its part odd.json is not a JSON object"), "\(refused.errors)")
        let usage = try ProgramRun.run(sgid, ["shards", "create", source, "--out", directory.path("q-%d.tar"), "--quality", "80"])
        #expect(usage.status != 0 && usage.errors.contains("--quality needs --max-side"), "\(usage.errors)")
    }

    @Test func thumbnailSizesAndPixelsMatchPillowOnEveryShapeUpTo30() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path("shapes")
        try FileManager.default.createDirectory(atPath: root + "/all", withIntermediateDirectories: true)
        for width in 1...30 {
            for height in 1...30 {
                let bytes = try PNGEncoder.encode(Self.image(width: width, height: height, channels: 3))
                try Data(bytes).write(to: URL(fileURLWithPath: "\(root)/all/\(width)x\(height).png"))
            }
        }
        let run = try ProgramRun.run(sgid, ["shards", "create", root, "--out", directory.path("t-%d.tar"), "--max-side", "7"])
        #expect(run.status == 0, "\(run.errors)")
        let output = try PeerPython.run("prepared_shards_peer.py", ["7", "90", root, directory.path("t-0.tar")])
        let lines = try output.split(separator: UInt8(ascii: "\n")).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
        #expect(lines.count == 900)
        let sizes = lines.filter { $0["ours_size"] as? [Int] == $0["pillow_size"] as? [Int] }.count
        let pixels = lines.filter { $0["equal_pixels"] as? Bool ?? ($0["identical"] as? Bool == true) }.count
        #expect(sizes == 900 && pixels == 900, "sizes \(sizes)/900, pixels \(pixels)/900")
        print("thumbnail((7, 7)) of every shape 1...30 x 1...30: sizes \(sizes)/900 and pixels \(pixels)/900 equal to Pillow's")
    }
}
