import ImageCodec
import Testing

/// Damaged and hostile BMP input gives the right typed error, never a crash, hang or giant allocation.
@Suite("BMP bad input")
struct BMPBadInputTests {
    static func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    static func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// A bottom-up BMP with a 40-byte info header.
    static func bitmap(width: Int, height: Int, bits: Int, compression: Int = 0, palette: [UInt8] = [],
                       pixels: [UInt8]) -> [UInt8] {
        let offset = 14 + 40 + palette.count
        var bytes: [UInt8] = Array("BM".utf8)
        for field in [offset + pixels.count, 0, offset, 40, width, height] { bytes += le32(field) }
        bytes += le16(1)
        bytes += le16(bits)
        for field in [compression, pixels.count, 2835, 2835, palette.count / 4, 0] { bytes += le32(field) }
        return bytes + palette + pixels
    }

    static let rgb24: [UInt8] = {
        let stride = (7 * 3 + 3) & ~3
        return bitmap(width: 7, height: 5, bits: 24, pixels: (0..<stride * 5).map { UInt8(truncatingIfNeeded: $0 &* 37) })
    }()

    static let rle8: [UInt8] = {
        var palette: [UInt8] = []
        for index in 0..<16 { palette += [UInt8(index * 16), UInt8(255 - index * 8), 7, 0] }
        // Two rows of 6 pixels: an encoded run, an absolute run, end-of-line, ..., end-of-bitmap.
        let data: [UInt8] = [3, 1, 0, 3, 2, 3, 4, 0, 0, 0, 6, 9, 0, 0, 0, 1]
        return bitmap(width: 6, height: 2, bits: 8, compression: 1, palette: palette, pixels: data)
    }()

    @Test func validSamplesDecode() throws {
        let image = try ImageDecoder.decode(Self.rgb24)
        #expect(image.width == 7 && image.height == 5)
        let rle = try ImageDecoder.decode(Self.rle8)
        // Bottom row first in the file: the second stored row (six pixels of index 9) is the top row.
        #expect(Array(rle.pixels[0..<3]) == [7, 183, 144])  // palette entries are stored blue, green, red
        #expect(Array(rle.pixels[18..<21]) == [7, 247, 16])
    }

    @Test func truncationIsTruncated() {
        for sample in [Self.rgb24, Self.rle8] {
            for length in 2..<sample.count {
                let kind = BadInput.kind(of: Array(sample.prefix(length)))
                // RLE data may stop before its last end-of-line and end-of-bitmap markers once every pixel is filled.
                if kind == nil && sample == Self.rle8 && length >= sample.count - 4 { continue }
                #expect(kind == .truncated, "cut at \(length) of \(sample.count) gave \(String(describing: kind))")
            }
        }
    }

    @Test func earlyEndOfBitmapIsCorrupt() {
        var bytes = Self.rle8
        bytes.replaceSubrange((bytes.count - 16)..., with: [3, 1, 0, 1])
        #expect(BadInput.kind(of: bytes) == .corrupt)
    }

    @Test func hugeAndInvalidDimensions() throws {
        var huge = Self.rgb24
        huge.replaceSubrange(18..<26, with: Self.le32(100_000) + Self.le32(100_000))
        #expect(BadInput.kind(of: huge) == .tooLarge)
        #expect(try ImageDecoder.info(huge).width == 100_000)
        var topDownHuge = Self.rgb24
        topDownHuge.replaceSubrange(22..<26, with: Self.le32(-16_000_000))  // top-down, 7 × 16 M pixels
        #expect(BadInput.kind(of: topDownHuge) == .tooLarge)
        var negativeWidth = Self.rgb24
        negativeWidth.replaceSubrange(18..<22, with: Self.le32(-5))
        #expect(BadInput.kind(of: negativeWidth) == .tooLarge)
        var empty = Self.rgb24
        empty.replaceSubrange(18..<22, with: Self.le32(0))
        #expect(BadInput.kind(of: empty) == .corrupt)
    }

    @Test func unsupportedVariantsSayUnsupported() {
        var depth = Self.rgb24
        depth.replaceSubrange(28..<30, with: Self.le16(7))
        #expect(BadInput.kind(of: depth) == .unsupported)
        var compression = Self.rgb24
        compression.replaceSubrange(30..<34, with: Self.le32(4))  // embedded JPEG
        #expect(BadInput.kind(of: compression) == .unsupported)
        var header = Self.rgb24
        header.replaceSubrange(14..<18, with: Self.le32(20))
        #expect(BadInput.kind(of: header) == .unsupported)
    }

    @Test func randomMutationsNeverCrash() {
        for (index, sample) in [Self.rgb24, Self.rle8].enumerated() {
            let kinds = BadInput.fuzz(sample, seed: 0xB3 + UInt64(index), iterations: 400)
            #expect(Set(kinds.keys).isSubset(of: BadInput.damageKinds), "\(kinds)")
        }
    }
}
