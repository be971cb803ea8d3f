import Foundation
import ImageCodec
import TestSupport
@testable import Augment

/// The corpus `Tests/Peers/make_resize_corpus.py` writes: source images and Pillow's outputs.
struct ResizeCorpus: Decodable, Sendable {
    struct Source: Decodable, Sendable {
        let file: String
        let width: Int
        let height: Int
        let channels: Int
    }

    struct Case: Decodable, Sendable {
        let kind: String
        let source: Int
        let file: String
        let width: Int
        let height: Int
        let filter: String?
        let box: [Double]?
        let region: [Int]?
        let crop: [Int]?
    }

    let sources: [Source]
    let cases: [Case]

    /// The corpus, generated once per test process and shared by the tests that read it.
    private static let shared = Result { try generateNow() }

    /// The shared corpus and the directory holding its files.
    static func generate() throws -> (ResizeCorpus, TemporaryDirectory) { try shared.get() }

    /// Runs the generator into a fresh directory (kept alive by the returned value).
    private static func generateNow() throws -> (ResizeCorpus, TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "sgid-resize")
        try PeerPython.run("make_resize_corpus.py", [directory.url.path])
        let data = try Data(contentsOf: directory.url.appendingPathComponent("manifest.json"))
        return (try JSONDecoder().decode(ResizeCorpus.self, from: data), directory)
    }

    /// Loads one source image.
    func image(_ index: Int, in directory: TemporaryDirectory) throws -> Image {
        let source = sources[index]
        let bytes = try [UInt8](Data(contentsOf: directory.url.appendingPathComponent(source.file)))
        return Image(width: source.width, height: source.height, channels: source.channels, pixels: bytes)
    }

    /// Loads one expected output.
    func expected(_ item: Case, channels: Int, in directory: TemporaryDirectory) throws -> Image {
        let bytes = try [UInt8](Data(contentsOf: directory.url.appendingPathComponent(item.file)))
        return Image(width: item.width, height: item.height, channels: channels, pixels: bytes)
    }
}
