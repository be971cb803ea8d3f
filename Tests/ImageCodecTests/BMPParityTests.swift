import ImageCodec
import Testing

/// BMP decoding against live Pillow: palette, 16/24/32-bit, bitfields, top-down and RLE files must match exactly.
@Suite("BMP parity with Pillow")
struct BMPParityTests {
    @Test func everyGeneratedBMPMatchesPillowExactly() throws {
        let corpus = try FormatCorpus(formats: "bmp")
        #expect(corpus.entries.count >= 120)
        let tally = try corpus.checkParity("BMP")
        #expect(tally.matched.values.reduce(0, +) == corpus.entries.count * 2)
    }
}
