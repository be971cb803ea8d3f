import ImageCodec
import Testing

/// PNM decoding against live Pillow: P1–P6, ASCII and binary, every maxval must match exactly.
@Suite("PNM parity with Pillow")
struct PNMParityTests {
    @Test func everyGeneratedPNMMatchesPillowExactly() throws {
        let corpus = try FormatCorpus(formats: "pnm")
        #expect(corpus.entries.count >= 100)
        let tally = try corpus.checkParity("PNM")
        #expect(tally.matched.values.reduce(0, +) == corpus.entries.count * 2)
    }
}
