import Foundation
import IDX
import Testing
import TestSupport

/// The IDX reader on the installed Fashion-MNIST files and on hand-made bad files, and `sgid datasets import`
/// against Python's own reading of the same files.
@Suite("IDX and the Fashion-MNIST import", .serialized)
struct IDXTests {
    static let source = ProcessInfo.processInfo.environment["SGID_FASHION_MNIST"] ?? "/usr/share/datasets/fashion-mnist"

    @Test func theInstalledFilesHaveFashionMNISTsShapes() throws {
        let images = try IDXReader.read(path: Self.source + "/train-images-idx3-ubyte.gz")
        let labels = try IDXReader.read(path: Self.source + "/train-labels-idx1-ubyte.gz")
        let test = try IDXReader.read(path: Self.source + "/t10k-labels-idx1-ubyte.gz")
        #expect(images.shape == [60_000, 28, 28] && labels.shape == [60_000] && test.shape == [10_000])
        #expect(images.itemSize == 784 && labels.values.allSatisfy { $0 < 10 })
        // Every class has 6,000 training and 1,000 test images.
        for label in 0..<10 {
            #expect(labels.values.filter { $0 == label }.count == 6000 && test.values.filter { $0 == label }.count == 1000)
        }
    }

    static func file(_ header: [UInt8], _ payload: [UInt8]) -> [UInt8] { header + payload }

    @Test func badFilesAreRefusedNamingTheFile() throws {
        let cases: [(String, [UInt8], IDXError.Kind)] = [
            ("empty", [], .badMagic),
            ("wrong magic", [1, 0, 8, 1, 0, 0, 0, 1, 7], .badMagic),
            ("float elements", [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0], .unsupportedType),
            ("header cut short", [0, 0, 8, 3, 0, 0, 0, 2], .sizeMismatch),
            ("too few values", [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3], .sizeMismatch),
            ("too many values", [0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3], .sizeMismatch),
            ("absurd dimensions", [0, 0, 8, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], .tooLarge),
            ("not gzip after the magic", [0x1F, 0x8B, 8, 0, 1, 2, 3, 4, 5, 6], .corruptGzip),
        ]
        for (name, bytes, kind) in cases {
            do {
                _ = try IDXReader.parse(bytes, location: "crafted.idx")
                Issue.record("\(name) parsed")
            } catch {
                #expect(error.kind == kind && error.description.hasPrefix("crafted.idx: "), "\(name): \(error)")
            }
        }
        // A truncated gzip file of the real data.
        let labels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.source + "/t10k-labels-idx1-ubyte.gz")))
        #expect(throws: IDXError.self) { try IDXReader.parse(Array(labels.prefix(labels.count / 2)), location: "cut") }
        var flipped = labels
        flipped[flipped.count / 2] ^= 0x40
        #expect(throws: IDXError.self) { try IDXReader.parse(flipped, location: "flipped") }
        #expect(try IDXReader.parse(labels, location: "whole").shape == [10_000])
    }

    @Test func randomMutationsGiveATypedErrorOrATensor() {
        let original: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2] + (0..<12).map { UInt8($0) }
        var state: UInt64 = 77
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let iterations = FuzzBudget.iterations(default: 5000)
        var parsed = 0
        for _ in 0..<iterations {
            var bytes = original
            for _ in 0..<(1 + next() % 3) where !bytes.isEmpty {
                let position = next() % bytes.count
                switch next() % 4 {
                case 0: bytes[position] ^= UInt8(1 << (next() % 8))
                case 1: bytes.removeSubrange(position...)
                case 2: bytes.insert(UInt8(next() % 256), at: position)
                default: bytes[position] = [0, 0xFF, 8, 1][next() % 4]
                }
            }
            if let tensor = try? IDXReader.parse(bytes, location: "mutant") {
                #expect(tensor.values.count == tensor.shape.reduce(1, *))
                parsed += 1
            }
        }
        #expect(parsed < iterations)
    }

    struct Check: Decodable {
        let checked: Int
        let mismatches: [String]
        let indices: [Int]
    }

    @Test func importedImageFoldersAndShardsMatchPythonsReading() throws {
        let directory = try TemporaryDirectory()
        let sgid = BuiltProducts.path("sgid")
        let folder = try ProgramRun.run(sgid, ["datasets", "import", "fashion-mnist", "--out", directory.path("folder"), "--split", "test",
                                               "--range", "100:1300", "--per-class", "30", "--seed", "4"])
        #expect(folder.status == 0, "\(folder.errors)")
        let folderCheck = try JSONDecoder().decode(Check.self, from: PeerPython.run("fashion_mnist_peer.py", [
            "check-folder", Self.source, "test", directory.path("folder")]))
        #expect(folderCheck.checked == 300 && folderCheck.mismatches.isEmpty, "\(folderCheck.mismatches.prefix(5))")
        #expect(folderCheck.indices.allSatisfy { (100..<1300).contains($0) })
        let shards = try ProgramRun.run(sgid, ["datasets", "import", "fashion-mnist", "--out", directory.path("shards"), "--split", "train",
                                               "--range", "50000:52500", "--format", "shards"])
        #expect(shards.status == 0 && shards.output.contains("shard-{000000..000002}.tar"), "\(shards.output)\(shards.errors)")
        let shardCheck = try JSONDecoder().decode(Check.self, from: PeerPython.run("fashion_mnist_peer.py", [
            "check-shards", Self.source, "train", directory.path("shards") + "/shard-*.tar"]))
        #expect(shardCheck.checked == 2500 && shardCheck.mismatches.isEmpty && shardCheck.indices == Array(50000..<52500),
                "\(shardCheck.mismatches.prefix(5))")
        let again = try ProgramRun.run(sgid, ["datasets", "import", "fashion-mnist", "--out", directory.path("again"), "--split", "test",
                                              "--range", "100:1300", "--per-class", "30", "--seed", "4"])
        #expect(again.status == 0)
        let names = { (root: String) in try FileManager.default.subpathsOfDirectory(atPath: root).sorted() }
        #expect(try names(directory.path("folder")) == names(directory.path("again")), "the same seed chooses the same images")
        let missing = try ProgramRun.run(sgid, ["datasets", "import", "fashion-mnist", "--out", directory.path("x"), "--source", "/nonexistent"])
        #expect(missing.status == 1 && missing.errors.contains("dataset-fashion-mnist"), "\(missing.errors)")
        let short = try ProgramRun.run(sgid, ["datasets", "import", "fashion-mnist", "--out", directory.path("y"), "--range", "0:50",
                                              "--per-class", "30"])
        #expect(short.status == 1 && short.errors.contains("fewer than 30"), "\(short.errors)")
    }
}
