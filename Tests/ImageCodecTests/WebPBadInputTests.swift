import ImageCodec
import Testing

/// Damaged and hostile WebP input gives the right typed error, never a crash, hang or giant allocation.
@Suite("WebP bad input")
struct WebPBadInputTests {
    @Test func damagedFilesGiveTypedErrors() throws {
        let corpus = try FormatCorpus(formats: "webp")
        for name in ["webp-lossless-rgba-64x48.webp", "webp-lossy-rgb-64x48.webp", "webp-lossy-rgba-17x33.webp"] {
            let valid = try corpus.bytes(name)
            #expect(BadInput.kind(of: valid) == nil)
            for length in 12..<valid.count {
                let kind = BadInput.kind(of: Array(valid.prefix(length)))
                #expect(kind == .truncated, "\(name) cut at \(length) of \(valid.count) gave \(String(describing: kind))")
            }
            let kinds = BadInput.fuzz(valid, seed: UInt64(valid.count))
            #expect(Set(kinds.keys).isSubset(of: BadInput.damageKinds), "\(kinds)")
        }
    }

    @Test func emptyAndHeaderOnlyInput() {
        #expect(BadInput.kind(of: []) == .empty)
        let headerOnly = BadInput.kind(of: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBP".utf8))
        #expect(headerOnly == .truncated || headerOnly == .corrupt)
    }

    @Test func hugeDeclaredDimensionsAreRefusedBeforeDecoding() throws {
        let corpus = try FormatCorpus(formats: "webp")
        var bytes = try corpus.bytes("webp-lossless-rgb-64x48.webp")
        // VP8L header at offset 20: signature 0x2F, then 14-bit width-1 and 14-bit height-1 (little-endian bits).
        try #require(Array(bytes[12..<16]) == Array("VP8L".utf8) && bytes[20] == 0x2F)
        bytes[21] = 0xFF; bytes[22] = 0xFF; bytes[23] = 0xFF; bytes[24] |= 0x0F
        #expect(BadInput.kind(of: bytes) == .tooLarge)
        let info = try ImageDecoder.info(bytes)
        #expect(info.width == 16384 && info.height == 16384)
        #expect(BadInput.kind(of: try corpus.bytes("webp-lossy-rgb-64x48.webp"),
                              options: DecodeOptions(maxPixels: 64 * 48 - 1)) == .tooLarge)
    }
}
