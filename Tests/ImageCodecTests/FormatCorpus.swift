import Foundation
import ImageCodec
import Testing
import TestSupport

/// One file of the corpus `Tests/Peers/make_format_corpus.py` writes, with Pillow's decodes beside it.
struct FormatCorpusEntry: Decodable, Sendable {
    let file: String
    let format: String
    let kind: String
    let width: Int
    let height: Int
    let rgb: String
    let gray: String
    let lossy: Bool
}

/// Per-kind parity counts of one corpus run.
struct ParityTally {
    var matched: [String: Int] = [:]
    var total: [String: Int] = [:]
    var maxDifference: [String: Int] = [:]

    mutating func record(kind: String, exact: Bool, difference: Int) {
        total[kind, default: 0] += 1
        if exact { matched[kind, default: 0] += 1 }
        maxDifference[kind] = max(maxDifference[kind] ?? 0, difference)
    }

    /// Prints "NAME parity: m/t exact" and one line per kind.
    func report(_ name: String) {
        let matchedAll = matched.values.reduce(0, +), totalAll = total.values.reduce(0, +)
        print("\(name) parity: \(matchedAll)/\(totalAll) exact")
        for kind in total.keys.sorted() {
            print("  \(kind): \(matched[kind] ?? 0)/\(total[kind]!) exact, max abs diff \(maxDifference[kind] ?? 0)")
        }
    }
}

/// Generates the corpus for some formats into a temporary directory and checks every file against Pillow.
struct FormatCorpus: @unchecked Sendable {
    let directory: TemporaryDirectory
    let entries: [FormatCorpusEntry]

    /// Runs the generator (which fails, rather than skips, when the peer Python is missing).
    /// - Parameter formats: Comma-separated builders, e.g. `"png"`.
    init(formats: String) throws {
        directory = try TemporaryDirectory(prefix: "format-corpus")
        try PeerPython.run("make_format_corpus.py", [directory.url.path, "--formats", formats])
        let manifest = try Data(contentsOf: directory.url.appendingPathComponent("manifest.json"))
        entries = try JSONDecoder().decode([FormatCorpusEntry].self, from: manifest)
    }

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.url.appendingPathComponent(name)))
    }

    /// Decodes every entry in both modes and compares with Pillow.
    /// - Parameters:
    ///   - name: Printed in the summary ("PNG").
    ///   - lossyTolerance: Largest allowed absolute difference per byte for entries marked lossy (exact otherwise).
    /// - Returns: The tally.
    func checkParity(_ name: String, lossyTolerance: Int = 0) throws -> ParityTally {
        var tally = ParityTally()
        for entry in entries {
            let bytes = try bytes(entry.file)
            for (mode, expectedFile) in [(ColorMode.rgb, entry.rgb), (.gray, entry.gray)] {
                let expected = try self.bytes(expectedFile)
                let image: Image
                do {
                    image = try ImageDecoder.decode(bytes, options: DecodeOptions(mode: mode))
                } catch {
                    Issue.record("\(entry.file) \(mode): \(error)")
                    tally.record(kind: "\(entry.kind)/\(mode)", exact: false, difference: 255)
                    continue
                }
                let sameSize = image.width == entry.width && image.height == entry.height
                    && image.pixels.count == expected.count
                let difference = sameSize ? Self.maxAbsDifference(image.pixels, expected) : 255
                let allowed = entry.lossy ? lossyTolerance : 0
                #expect(sameSize && difference <= allowed,
                        "\(entry.file) \(mode) differs from Pillow (max abs diff \(difference), allowed \(allowed))")
                tally.record(kind: "\(entry.kind)/\(mode)", exact: sameSize && difference == 0, difference: difference)
                if sameSize && entry.width >= 3 && entry.height >= 3 {
                    try checkRegion(bytes, entry: entry, mode: mode, full: Image(
                        width: entry.width, height: entry.height, channels: mode.channels, pixels: expected),
                        allowed: allowed)
                }
            }
        }
        tally.report(name)
        return tally
    }

    /// A region decode must equal the same rectangle of Pillow's full decode.
    private func checkRegion(_ bytes: [UInt8], entry: FormatCorpusEntry, mode: ColorMode, full: Image,
                             allowed: Int) throws {
        let region = PixelRegion(x: 1, y: entry.height / 3, width: entry.width - 2, height: entry.height - entry.height / 3 - 1)
        let part = try ImageDecoder.decode(bytes, options: DecodeOptions(mode: mode, region: region))
        let expected = full.cropped(to: region)
        let sameSize = part.width == expected.width && part.height == expected.height
        #expect(sameSize && Self.maxAbsDifference(part.pixels, expected.pixels) <= allowed,
                "\(entry.file) \(mode) region \(region) differs from Pillow's crop")
    }

    static func maxAbsDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var worst = 0
        for index in a.indices { worst = max(worst, abs(Int(a[index]) - Int(b[index]))) }
        return worst
    }
}

/// Shared checks for damaged input.
enum BadInput {
    /// The error kind decoding gives, or `nil` when it succeeds.
    static func kind(of bytes: [UInt8], options: DecodeOptions = DecodeOptions()) -> ImageCodecError.Kind? {
        do {
            _ = try ImageDecoder.decode(bytes, options: options)
            return nil
        } catch {
            return error.kind
        }
    }

    /// Decodes many random mutations of `valid` (in both modes) and returns the error kinds seen; reaching the end
    /// proves there was no crash or hang.
    static func fuzz(_ valid: [UInt8], seed: UInt64, iterations: Int = 300) -> [ImageCodecError.Kind: Int] {
        var generator = SplitMix64(seed: seed)
        var kinds: [ImageCodecError.Kind: Int] = [:]
        for index in 0..<FuzzBudget.iterations(default: iterations) {
            let bytes = Mutator.mutate(valid, using: &generator)
            let mode: ColorMode = index % 2 == 0 ? .rgb : .gray
            if let kind = kind(of: bytes, options: DecodeOptions(mode: mode)) { kinds[kind, default: 0] += 1 }
        }
        return kinds
    }

    /// The kinds a damaged file may legitimately produce.
    static let damageKinds: Set<ImageCodecError.Kind> = [.truncated, .corrupt, .unsupported, .tooLarge, .unknownFormat, .empty]
}
