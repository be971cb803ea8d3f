import ImageCodec
import Testing

/// WebP decoding against live Pillow. Lossless files must match exactly. Lossy files may differ by rounding between
/// the system libwebp and the one bundled in Pillow's wheel; the bound is `lossyTolerance`.
@Suite("WebP parity with Pillow")
struct WebPParityTests {
    /// Largest per-byte difference allowed for lossy files.
    static let lossyTolerance = 2

    @Test func everyGeneratedWebPMatchesPillow() throws {
        let corpus = try FormatCorpus(formats: "webp")
        #expect(corpus.entries.count >= 30)
        let tally = try corpus.checkParity("WebP", lossyTolerance: Self.lossyTolerance)
        let lossless = corpus.entries.filter { !$0.lossy }.count
        let exactLossless = tally.matched.filter { $0.key.hasPrefix("lossless") }.values.reduce(0, +)
        #expect(exactLossless == lossless * 2)
    }
}
