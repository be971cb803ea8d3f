import Foundation
import ImageCodec
import TestSupport

/// What the Python corpus generators (`Tests/Peers/make_*_corpus.py`) share: a run into a fresh directory that
/// leaves a `manifest.json`, and raw image files (`width × height × channels` bytes, no header).
enum PeerCorpus {
    /// Runs a generator into a fresh directory and decodes its manifest.
    /// - Parameters:
    ///   - script: The generator in `Tests/Peers/`.
    ///   - prefix: The directory's name prefix.
    ///   - preferHeavy: Whether to run it in the heavy environment when it is installed (for torchvision peers).
    /// - Returns: The manifest and the directory holding the files (kept alive by the returned value).
    /// - Throws: When the generator fails or the manifest does not decode.
    static func generate<Manifest: Decodable>(_ script: String, prefix: String, preferHeavy: Bool = false)
        throws -> (Manifest, TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: prefix)
        if preferHeavy {
            _ = try PeerPython.runPreferringHeavy(script, [directory.url.path])
        } else {
            try PeerPython.run(script, [directory.url.path])
        }
        let data = try Data(contentsOf: directory.url.appendingPathComponent("manifest.json"))
        return (try JSONDecoder().decode(Manifest.self, from: data), directory)
    }
}

/// A source image a corpus generator wrote.
struct RawImageFile: Decodable, Sendable {
    let file: String
    let width: Int
    let height: Int
    let channels: Int

    /// Loads the image.
    /// - Parameter directory: The corpus directory.
    /// - Returns: The image.
    /// - Throws: When the file cannot be read.
    func load(in directory: TemporaryDirectory) throws -> Image {
        try directory.rawImage(file, width: width, height: height, channels: channels)
    }
}

extension TemporaryDirectory {
    /// Reads a raw image file of this directory.
    /// - Parameters:
    ///   - file: The file's name.
    ///   - width: Its width.
    ///   - height: Its height.
    ///   - channels: Its channels.
    /// - Returns: The image.
    /// - Throws: When the file cannot be read.
    func rawImage(_ file: String, width: Int, height: Int, channels: Int) throws -> Image {
        let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(file)))
        return Image(width: width, height: height, channels: channels, pixels: bytes)
    }
}
