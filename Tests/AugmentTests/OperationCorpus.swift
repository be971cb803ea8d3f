import Foundation
import ImageCodec
import TestSupport
@testable import Augment

/// The corpus `Tests/Peers/make_operation_corpus.py` writes: source images and the peers' outputs of every pixel
/// operation (Pillow, and torchvision when the heavy environment is installed).
struct OperationCorpus: Decodable, Sendable {
    typealias Source = RawImageFile

    /// One peer output and the parameters that produced it (only the ones of its operation are present).
    struct Case: Decodable, Sendable {
        let op: String
        let source: Int
        let file: String
        let width: Int
        let height: Int
        let channels: Int
        let angle: Double?
        let resample: String?
        let center: [Double]?
        let fill: [Int]?
        let matrix: [Double]?
        let factor: Double?
        let bits: Int?
        let threshold: Int?
        let add: Int?
        let outputChannels: Int?
        let padding: [Int]?
        let mode: String?
        let box: [Int]?
        let kernel: [Int]?
        let sigma: [Double]?
        let order: [String]?
        let factors: [String: Double]?
        let translate: [Double]?
        let scale: Double?
        let shear: [Double]?
        let expand: Bool?
        let radius: Double?

        enum CodingKeys: String, CodingKey {
            case op, source, file, width, height, channels, angle, resample, center, fill, matrix, factor, bits
            case threshold, add, padding, mode, box, kernel, sigma, order, factors, translate, scale, shear, expand, radius
            case outputChannels = "output_channels"
        }

        /// The name the parity tally counts the case under (`rotate expand` apart from `rotate`).
        var tallyName: String { op == "rotate" && expand == true ? "rotate expand" : op }

        /// The fill colour as bytes.
        var fillBytes: [UInt8] { (fill ?? [0]).map { UInt8($0) } }
    }

    /// Which peer produced the outputs (`torchvision <version>` or `pillow-only`).
    let peer: String
    let sources: [Source]
    let cases: [Case]

    private static let shared = Result { try generateNow() }

    /// The shared corpus and the directory holding its files.
    static func generate() throws -> (OperationCorpus, TemporaryDirectory) { try shared.get() }

    private static func generateNow() throws -> (OperationCorpus, TemporaryDirectory) {
        try PeerCorpus.generate("make_operation_corpus.py", prefix: "sgid-operations", preferHeavy: true)
    }

    /// The source images, loaded once.
    func images(in directory: TemporaryDirectory) throws -> [Image] {
        try sources.map { try $0.load(in: directory) }
    }

    /// Loads one expected output.
    func expected(_ item: Case, in directory: TemporaryDirectory) throws -> Image {
        try directory.rawImage(item.file, width: item.width, height: item.height, channels: item.channels)
    }
}
