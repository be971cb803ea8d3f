import ImageCodec
import Testing

/// PNG decoding against live Pillow: every colour type, bit depth and interlacing must match
/// `convert('RGB')` and `convert('L')` byte for byte.
@Suite("PNG parity with Pillow")
struct PNGParityTests {
    @Test func everyGeneratedPNGMatchesPillowExactly() throws {
        let corpus = try FormatCorpus(formats: "png")
        #expect(corpus.entries.count >= 150)
        let tally = try corpus.checkParity("PNG")
        #expect(tally.matched.values.reduce(0, +) == corpus.entries.count * 2)
    }
}
