import ImageCodec
import Testing

/// Damaged and hostile PNM input gives the right typed error, never a crash, hang or giant allocation.
@Suite("PNM bad input")
struct PNMBadInputTests {
    static func file(_ header: String, _ data: [UInt8]) -> [UInt8] { Array(header.utf8) + data }

    static let binary = file("P6\n# comment\n5 4\n255\n", (0..<60).map { UInt8($0 * 4) })
    static let plain = file("P2\n3 2\n1000\n", Array("0 10 999\n1000 500 1\n".utf8))

    @Test func validSamplesDecode() throws {
        let image = try ImageDecoder.decode(Self.binary)
        #expect(image.width == 5 && image.height == 4 && image.pixels == (0..<60).map { UInt8($0 * 4) })
        // maxval > 255 gray is Pillow's 32-bit I: rescaled to 0…65535, then clamped to 255 by convert('L').
        let gray = try ImageDecoder.decode(Self.plain, options: DecodeOptions(mode: .gray))
        #expect(gray.pixels == [0, 255, 255, 255, 255, 66])
    }

    @Test func truncationIsTruncated() {
        for sample in [Self.binary, Self.plain] {
            for length in 3..<sample.count {
                let kind = BadInput.kind(of: Array(sample.prefix(length)))
                // A plain file may lose its final newline; the last token then still ends at the end of data.
                if kind == nil && sample == Self.plain && length == sample.count - 1 { continue }
                #expect(kind == .truncated, "cut at \(length) of \(sample.count) gave \(String(describing: kind))")
            }
        }
    }

    @Test func malformedHeadersAndSamplesAreCorrupt() {
        #expect(BadInput.kind(of: Self.file("P5\n4 4\n0\n", [])) == .corrupt)
        #expect(BadInput.kind(of: Self.file("P5\n4 4\n65536\n", [])) == .corrupt)
        #expect(BadInput.kind(of: Self.file("P5\n4x 4\n255\n", [])) == .corrupt)
        #expect(BadInput.kind(of: Self.file("P5\n12345678901 4\n255\n", [])) == .corrupt)
        #expect(BadInput.kind(of: Self.file("P2\n2 1\n100\n", Array("5 101\n".utf8))) == .corrupt)
        #expect(BadInput.kind(of: Self.file("P2\n2 1\n100\n", Array("5 abc\n".utf8))) == .corrupt)
        #expect(BadInput.kind(of: Self.file("P1\n2 1\n", Array("0 2\n".utf8))) == .corrupt)
        #expect(BadInput.kind(of: Self.file("P5\n0 4\n255\n", [])) == .corrupt)
    }

    @Test func hugeDeclaredDimensionsAreRefusedBeforeDecoding() throws {
        let huge = Self.file("P5\n100000 100000\n255\n", [1, 2, 3])
        #expect(BadInput.kind(of: huge) == .tooLarge)
        #expect(try ImageDecoder.info(huge).width == 100_000)
        #expect(BadInput.kind(of: Self.file("P4\n9999999999 9999999999\n", [])) == .tooLarge)
    }

    @Test func randomMutationsNeverCrash() {
        for (index, sample) in [Self.binary, Self.plain].enumerated() {
            let kinds = BadInput.fuzz(sample, seed: 0x504E4D + UInt64(index), iterations: 400)
            #expect(Set(kinds.keys).isSubset(of: BadInput.damageKinds), "\(kinds)")
        }
    }
}
