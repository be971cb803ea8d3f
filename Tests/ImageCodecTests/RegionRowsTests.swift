import ImageCodec
import Testing
import TestSupport

/// `RegionRows` beyond the JPEG corpus (whose bands are checked against Pillow in `JPEGParityTests`): other formats,
/// reads past the end, damaged files, and options it refuses.
@Suite("Region rows")
struct RegionRowsTests {
    private static func natural(width: Int, height: Int) -> Image {
        var generator = SplitMix64(seed: 7)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 { pixels[(y * width + x) * 3 + c] = UInt8((x * (c + 1) + y * 3 + generator.below(24)) & 255) }
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    @Test func pngRowsAreTheRegionsRows() throws {
        let image = Self.natural(width: 41, height: 29)
        let png = try PNGEncoder.encode(image)
        let region = PixelRegion(x: 3, y: 5, width: 30, height: 20)
        var generator = SplitMix64(seed: 1)
        for mode in ColorMode.allCases {
            let options = DecodeOptions(mode: mode, region: region)
            let expected = try ImageDecoder.decode(png, options: options)
            let bands = try JPEGParityTests.readInBands(png, options: options, using: &generator)
            #expect(bands == expected.pixels, "\(mode)")
        }
    }

    @Test func readingPastTheLastRowIsRefused() throws {
        let jpeg = try JPEGEncoder.encode(Self.natural(width: 40, height: 24), quality: 90)
        let options = DecodeOptions(region: PixelRegion(x: 2, y: 2, width: 20, height: 10))
        let kind = try jpeg.withUnsafeBytes { raw in
            try ImageDecoder.withRegionRows(raw, options: options) { (rows) throws(ImageCodecError) -> ImageCodecError.Kind? in
                var buffer = [UInt8](repeating: 0, count: 11 * 60)
                return buffer.withUnsafeMutableBufferPointer { target in
                    do throws(ImageCodecError) {
                        try rows.read(rows: 11, into: target.baseAddress!, rowBytes: 60)
                        return nil
                    } catch {
                        return error.kind
                    }
                }
            }
        }
        #expect(kind == .invalidArgument)
    }

    @Test func truncatedJPEGGivesTruncatedOnTheRowsThatAreMissing() throws {
        let jpeg = try JPEGEncoder.encode(Self.natural(width: 64, height: 64), quality: 90)
        let cut = Array(jpeg.prefix(jpeg.count / 2))
        let options = DecodeOptions(region: PixelRegion(x: 0, y: 0, width: 64, height: 64))
        var readBeforeFailure = -1
        let kind: ImageCodecError.Kind? = cut.withUnsafeBytes { raw in
            do throws(ImageCodecError) {
                try ImageDecoder.withRegionRows(raw, options: options) { (rows) throws(ImageCodecError) in
                    var band = [UInt8](repeating: 0, count: 8 * 64 * 3)
                    try band.withUnsafeMutableBufferPointer { (target) throws(ImageCodecError) in
                        while rows.rowsRead < rows.height {
                            readBeforeFailure = rows.rowsRead
                            try rows.read(rows: 8, into: target.baseAddress!, rowBytes: 64 * 3)
                        }
                    }
                }
                return nil
            } catch {
                return error.kind
            }
        }
        #expect(kind == .truncated)
        #expect(readBeforeFailure > 0 && readBeforeFailure < 64, "the first bands decode before the data ends")
    }

    @Test func scaledDecodesAreRefused() throws {
        let jpeg = try JPEGEncoder.encode(Self.natural(width: 16, height: 16), quality: 90)
        #expect(throws: ImageCodecError.self) {
            try jpeg.withUnsafeBytes { raw in
                try ImageDecoder.withRegionRows(raw, options: DecodeOptions(minimumSize: PixelSize(width: 4, height: 4))) { _ in 0 }
            }
        }
    }
}
