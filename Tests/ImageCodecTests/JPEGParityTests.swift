import Foundation
import ImageCodec
import Testing

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
}
