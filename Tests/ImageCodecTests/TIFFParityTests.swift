import ImageCodec
import Testing

/// TIFF decoding against live Pillow: every layout and compression Pillow writes must match exactly.
@Suite("TIFF parity with Pillow")
struct TIFFParityTests {
    @Test func everyGeneratedTIFFMatchesPillowExactly() throws {
        let corpus = try FormatCorpus(formats: "tiff")
        #expect(corpus.entries.count >= 100)
        let tally = try corpus.checkParity("TIFF")
        #expect(tally.matched.values.reduce(0, +) == corpus.entries.count * 2)
    }
}
