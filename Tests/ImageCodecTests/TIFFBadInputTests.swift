import ImageCodec
import Testing

/// Damaged and hostile TIFF input gives the right typed error, never a crash, hang or giant allocation.
@Suite("TIFF bad input")
struct TIFFBadInputTests {
    /// Overwrites the value of a SHORT or LONG directory entry in a little-endian TIFF.
    static func patch(_ bytes: inout [UInt8], tag: UInt16, value: UInt32) throws {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        let ifd = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
        for entry in 0..<u16(ifd) {
            let at = ifd + 2 + entry * 12
            guard u16(at) == Int(tag) else { continue }
            let width = u16(at + 2) == 3 ? 2 : 4
            for index in 0..<width { bytes[at + 8 + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
            return
        }
        Issue.record("tag \(tag) not found")
    }

    @Test func damagedFilesGiveTypedErrors() throws {
        let corpus = try FormatCorpus(formats: "tiff")
        for name in ["tiff-rgb-raw-64x48.tiff", "tiff-rgb-tiff_lzw-64x48.tiff", "tiff-l-tiff_deflate-17x33.tiff",
                     "tiff-tiled-rgba-deflate-le-64x48.tiff"] {
            let valid = try corpus.bytes(name)
            #expect(BadInput.kind(of: valid) == nil)
            var kinds: [ImageCodecError.Kind: Int] = [:]
            for length in stride(from: 4, to: valid.count, by: max(1, valid.count / 300)) {
                let kind = BadInput.kind(of: Array(valid.prefix(length)))
                // Only the trailing next-directory offset may be missing (libtiff, like Pillow, then stops there).
                if kind == nil && length >= valid.count - 4 { continue }
                #expect(kind == .truncated || kind == .corrupt,
                        "\(name) cut at \(length) of \(valid.count) gave \(String(describing: kind))")
                if let kind { kinds[kind, default: 0] += 1 }
            }
            #expect((kinds[.truncated] ?? 0) > 0, "\(name): \(kinds)")
            let fuzzed = BadInput.fuzz(valid, seed: UInt64(valid.count))
            #expect(Set(fuzzed.keys).isSubset(of: BadInput.damageKinds), "\(fuzzed)")
        }
    }

    @Test func cutsInsideUncompressedPixelDataAreTruncated() throws {
        let corpus = try FormatCorpus(formats: "tiff")
        let valid = try corpus.bytes("tiff-rgb-raw-64x48.tiff")
        // Pillow writes an uncompressed file's directory first, at offset 8, and the pixels after it.
        for length in stride(from: 9, to: 64 * 48 * 3, by: 97) {
            #expect(BadInput.kind(of: Array(valid.prefix(length))) == .truncated)
        }
    }

    @Test func hugeDeclaredDimensionsAreRefusedBeforeDecoding() throws {
        let corpus = try FormatCorpus(formats: "tiff")
        var bytes = try corpus.bytes("tiff-rgb-tiff_lzw-64x48.tiff")
        // Pillow stores the size as SHORTs: 60000 × 60000 (3.6 Gpx) is the largest that fits.
        try Self.patch(&bytes, tag: 256, value: 60_000)
        try Self.patch(&bytes, tag: 257, value: 60_000)
        #expect(BadInput.kind(of: bytes) == .tooLarge)
        let info = try ImageDecoder.info(bytes)
        #expect(info.width == 60_000 && info.height == 60_000)
    }

    @Test func unsupportedLayoutsSayUnsupported() throws {
        let corpus = try FormatCorpus(formats: "tiff")
        var bytes = try corpus.bytes("tiff-rgb-raw-64x48.tiff")
        try Self.patch(&bytes, tag: 284, value: 2)  // separate planes
        #expect(BadInput.kind(of: bytes) == .unsupported)
        #expect(BadInput.kind(of: []) == .empty)
        #expect(BadInput.kind(of: [0x49, 0x49, 0x2A, 0x00]) == .truncated || BadInput.kind(of: [0x49, 0x49, 0x2A, 0x00]) == .corrupt)
    }
}
