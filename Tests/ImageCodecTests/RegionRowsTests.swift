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

    /// Reads `region` of `bytes` whole through `RegionRows`; the error kind, or `nil` when it reads.
    private static func readKind(_ bytes: [UInt8], region: PixelRegion) -> ImageCodecError.Kind? {
        var generator = SplitMix64(seed: 3)
        do {
            _ = try JPEGParityTests.readInBands(bytes, options: DecodeOptions(region: region), using: &generator)
            return nil
        } catch let error as ImageCodecError {
            return error.kind
        } catch {
            return .corrupt
        }
    }

    @Test(arguments: [false, true])
    func aFileCutBelowTheRegionIsRefusedAsTheFullDecodeRefusesIt(progressive: Bool) throws {
        let jpeg = try JPEGEncoder.encode(Self.natural(width: 160, height: 160), quality: 90, progressive: progressive)
        let top = PixelRegion(x: 10, y: 0, width: 100, height: 24)
        #expect(Self.readKind(jpeg, region: top) == nil)
        // Cut points from the middle of the scan data to the last byte before the end-of-image marker.
        for keep in Array(stride(from: jpeg.count * 2 / 3, to: jpeg.count, by: max(1, jpeg.count / 40))) + [jpeg.count - 1] {
            let cut = Array(jpeg.prefix(keep))
            #expect(BadInput.kind(of: cut) == .truncated, "the full decode of \(keep) bytes")
            #expect(Self.readKind(cut, region: top) == .truncated, "rows 0..<24 of \(keep) of \(jpeg.count) bytes")
        }
    }

    @Test func aZeroRowReadAfterTheLastRowAndReadsAfterAnErrorAreHarmless() throws {
        let jpeg = try JPEGEncoder.encode(Self.natural(width: 48, height: 32), quality: 90)
        let bottom = PixelRegion(x: 0, y: 20, width: 48, height: 12)
        try jpeg.withUnsafeBytes { raw in
            try ImageDecoder.withRegionRows(raw, options: DecodeOptions(region: bottom)) { (rows) throws(ImageCodecError) in
                var buffer = [UInt8](repeating: 0, count: 12 * 48 * 3)
                try buffer.withUnsafeMutableBufferPointer { (target) throws(ImageCodecError) in
                    try rows.read(rows: 12, into: target.baseAddress!, rowBytes: 48 * 3)
                    try rows.read(rows: 0, into: target.baseAddress!, rowBytes: 48 * 3)
                }
            }
        }
        let large = try JPEGEncoder.encode(Self.natural(width: 160, height: 160), quality: 90)
        let cut = Array(large.prefix(large.count * 3 / 5))
        var kinds: [ImageCodecError.Kind] = []
        cut.withUnsafeBytes { raw in
            _ = try? ImageDecoder.withRegionRows(raw, options: DecodeOptions()) { (rows) throws(ImageCodecError) in
                var band = [UInt8](repeating: 0, count: 16 * 160 * 3)
                band.withUnsafeMutableBufferPointer { target in
                    // Bands until the data runs out, then two more reads: each must give the same error again.
                    while rows.rowsRead < rows.height && kinds.count < 3 {
                        do throws(ImageCodecError) {
                            try rows.read(rows: 16, into: target.baseAddress!, rowBytes: 160 * 3)
                        } catch {
                            kinds.append(error.kind)
                        }
                    }
                }
            }
        }
        #expect(kinds == [.truncated, .truncated, .truncated], "\(kinds)")
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
