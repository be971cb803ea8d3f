import Foundation
import ImageCodec
import Testing
import TestSupport

/// JPEG decoding against live Pillow: every generated kind must match `convert('RGB')` and `convert('L')` byte for byte.
@Suite("JPEG parity with Pillow")
struct JPEGParityTests {
    @Test func everyGeneratedJPEGMatchesPillowExactly() throws {
        let corpus = try PeerCorpus(script: "make_jpeg_corpus.py")
        #expect(corpus.entries.count >= 90)
        var exact: [String: (matched: Int, total: Int)] = [:]
        for entry in corpus.entries {
            let bytes = try corpus.bytes(entry.file)
            for (mode, suffix) in [(ColorMode.rgb, ".rgb"), (.gray, ".l")] {
                let image = try ImageDecoder.decode(bytes, options: DecodeOptions(mode: mode))
                let expected = try corpus.expected(entry, suffix: suffix)
                let matches = image.width == entry.width && image.height == entry.height && image.pixels == expected
                #expect(matches, "\(entry.file) \(mode) differs from Pillow")
                let key = "\(entry.kind)/\(mode)"
                exact[key, default: (0, 0)].total += 1
                if matches { exact[key, default: (0, 0)].matched += 1 }
            }
        }
        let matched = exact.values.map(\.matched).reduce(0, +), total = exact.values.map(\.total).reduce(0, +)
        print("JPEG parity with Pillow: \(matched)/\(total) decodes exact over \(exact.count) kind/mode pairs")
        for (key, counts) in exact.sorted(by: { $0.key < $1.key }) { print("  \(key): \(counts.matched)/\(counts.total)") }
        #expect(matched == total)
    }

    /// The exact mode's region decode (only the rows and iMCU columns that cover the region, with one row and column
    /// of context for fancy upsampling) must give the pixels of Pillow's full decode, cropped: every corpus kind, both
    /// modes, the edges (a region one column in from each side, which once shifted by a column when no crop was
    /// needed), single rows and columns, and random rectangles.
    @Test func regionDecodesMatchPillowsCrop() throws {
        let corpus = try PeerCorpus(script: "make_jpeg_corpus.py")
        var generator = SplitMix64(seed: 20261207)
        var checked = 0, matched = 0
        for entry in corpus.entries {
            let bytes = try corpus.bytes(entry.file)
            let (width, height) = (entry.width, entry.height)
            var regions = [PixelRegion(x: 0, y: 0, width: width, height: height),
                           PixelRegion(x: width - 1, y: height - 1, width: 1, height: 1),
                           PixelRegion(x: 0, y: height / 2, width: width, height: 1),
                           PixelRegion(x: width / 2, y: 0, width: 1, height: height)]
            if width >= 3 && height >= 3 {
                regions.append(PixelRegion(x: 1, y: 1, width: width - 2, height: height - 2))
                regions.append(PixelRegion(x: 1, y: height / 3, width: width - 1, height: height - height / 3))
            }
            for _ in 0..<4 {
                let w = 1 + generator.below(width), h = 1 + generator.below(height)
                regions.append(PixelRegion(x: generator.below(width - w + 1), y: generator.below(height - h + 1),
                                           width: w, height: h))
            }
            for (mode, suffix) in [(ColorMode.rgb, ".rgb"), (.gray, ".l")] {
                let full = Image(width: width, height: height, channels: mode.channels,
                                 pixels: try corpus.expected(entry, suffix: suffix))
                for region in regions {
                    let options = DecodeOptions(mode: mode, region: region)
                    let expected = full.cropped(to: region)
                    let part = try ImageDecoder.decode(bytes, options: options)
                    // The same region read band by band (bands of 1 to 7 rows), as the exact mode's resize reads it.
                    let bands = try Self.readInBands(bytes, options: options, using: &generator)
                    let same = part == expected && bands == expected.pixels
                    #expect(part == expected, "\(entry.file) \(mode) region \(region) differs from Pillow's crop")
                    #expect(bands == expected.pixels, "\(entry.file) \(mode) region \(region) read in bands differs")
                    checked += 1
                    if same { matched += 1 }
                }
            }
        }
        print("JPEG region decodes equal to Pillow's crop: \(matched)/\(checked)")
        #expect(checked >= 1000 && matched == checked)
    }

    /// Reads a region with `RegionRows` in bands of random height.
    static func readInBands(_ bytes: [UInt8], options: DecodeOptions,
                            using generator: inout SplitMix64) throws -> [UInt8] {
        try bytes.withUnsafeBytes { raw in
            try ImageDecoder.withRegionRows(raw, options: options) { (rows) throws(ImageCodecError) -> [UInt8] in
                let rowBytes = rows.width * rows.channels
                var pixels = [UInt8](repeating: 0, count: rows.height * rowBytes)
                while rows.rowsRead < rows.height {
                    let count = min(1 + generator.below(7), rows.height - rows.rowsRead)
                    let first = rows.rowsRead
                    try pixels.withUnsafeMutableBufferPointer { (buffer) throws(ImageCodecError) in
                        try rows.read(rows: count, into: buffer.baseAddress! + first * rowBytes, rowBytes: rowBytes)
                    }
                }
                return pixels
            }
        }
    }
}
