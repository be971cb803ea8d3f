import Foundation
import ImageCodec
import TestSupport
@testable import Augment

/// The corpus `Tests/Peers/make_resize_corpus.py` writes: source images and Pillow's outputs.
struct ResizeCorpus: Decodable, Sendable {
    typealias Source = RawImageFile

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
        try PeerCorpus.generate("make_resize_corpus.py", prefix: "sgid-resize")
    }

    /// Loads one source image.
    func image(_ index: Int, in directory: TemporaryDirectory) throws -> Image {
        try sources[index].load(in: directory)
    }

    /// Loads one expected output.
    func expected(_ item: Case, channels: Int, in directory: TemporaryDirectory) throws -> Image {
        try directory.rawImage(item.file, width: item.width, height: item.height, channels: channels)
    }
}
