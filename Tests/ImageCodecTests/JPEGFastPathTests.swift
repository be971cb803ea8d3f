import Foundation
import ImageCodec
import Testing

/// The fast mode: DCT scaling chosen from a minimum size, and region-of-interest decoding.
@Suite("JPEG fast paths")
struct JPEGFastPathTests {
    /// A deterministic natural-looking RGB test image.
    static func pattern(width: Int, height: Int) -> Image {
        var image = Image(width: width, height: height, channels: 3)
        for y in 0..<height {
            for x in 0..<width {
                let wave = sin(Double(x) * 0.07) * cos(Double(y) * 0.05)
                image[x, y, 0] = UInt8(clamping: Int(128 + 100 * wave))
                image[x, y, 1] = UInt8(truncatingIfNeeded: x &* 3 &+ y)
                image[x, y, 2] = UInt8(clamping: (x / 16 + y / 16) % 2 == 0 ? 200 : 40)
            }
        }
        return image
    }

    static let subsamplings: [JPEGEncoder.Subsampling] = [.s444, .s422, .s420]

    @Test(arguments: [(64, 48, nil, 1), (640, 480, PixelSize(width: 80, height: 60), 8),
                      (640, 480, PixelSize(width: 81, height: 60), 4), (640, 480, PixelSize(width: 200, height: 100), 2),
                      (640, 480, PixelSize(width: 321, height: 10), 1), (641, 479, PixelSize(width: 81, height: 60), 8)])
    func scaleIsTheCoarsestThatCoversTheMinimum(width: Int, height: Int, minimum: PixelSize?, expected: Int) throws {
        let jpeg = try JPEGEncoder.encode(Self.pattern(width: width, height: height), quality: 90)
        let decoded = try jpeg.withUnsafeBytes { try ImageDecoder.decodeWithGeometry($0, options: DecodeOptions(minimumSize: minimum)) }
        #expect(decoded.scaleDenominator == expected)
        #expect(decoded.image.width == (width + expected - 1) / expected)
        #expect(decoded.image.height == (height + expected - 1) / expected)
        if let minimum {
            #expect(decoded.image.width >= minimum.width || expected == 1)
            #expect(decoded.image.height >= minimum.height || expected == 1)
        }
    }

    @Test(arguments: subsamplings)
    func scaledDecodeStaysCloseToTheFullImage(subsampling: JPEGEncoder.Subsampling) throws {
        let original = Self.pattern(width: 256, height: 192)
        let jpeg = try JPEGEncoder.encode(original, quality: 95, subsampling: subsampling)
        for denominator in [2, 4, 8] {
            let minimum = PixelSize(width: 256 / denominator, height: 192 / denominator)
            let decoded = try jpeg.withUnsafeBytes { try ImageDecoder.decodeWithGeometry($0, options: DecodeOptions(minimumSize: minimum)) }
            #expect(decoded.scaleDenominator == denominator)
            // Compare with a box-filtered full-resolution image: DCT scaling approximates an area average.
            var total = 0
            for y in 0..<decoded.image.height {
                for x in 0..<decoded.image.width {
                    for channel in 0..<3 {
                        var sum = 0
                        for dy in 0..<denominator { for dx in 0..<denominator {
                            sum += Int(original[x * denominator + dx, y * denominator + dy, channel])
                        } }
                        total += abs(sum / (denominator * denominator) - Int(decoded.image[x, y, channel]))
                    }
                }
            }
            let meanError = Double(total) / Double(decoded.image.pixels.count)
            #expect(meanError < 12, "1/\(denominator) \(subsampling): mean abs error \(meanError)")
        }
    }

    @Test(arguments: subsamplings, [false, true])
    func regionAtFullScaleEqualsTheCropOfTheFullDecode(subsampling: JPEGEncoder.Subsampling, progressive: Bool) throws {
        let jpeg = try JPEGEncoder.encode(Self.pattern(width: 203, height: 157), quality: 90, subsampling: subsampling,
                                          progressive: progressive)
        let full = try ImageDecoder.decode(jpeg)
        let regions = [PixelRegion(x: 0, y: 0, width: 203, height: 157), PixelRegion(x: 37, y: 21, width: 50, height: 60),
                       PixelRegion(x: 202, y: 156, width: 1, height: 1), PixelRegion(x: 0, y: 100, width: 203, height: 3),
                       PixelRegion(x: 16, y: 16, width: 16, height: 16), PixelRegion(x: 150, y: 0, width: 53, height: 157)]
        for region in regions {
            for mode in ColorMode.allCases {
                let decoded = try jpeg.withUnsafeBytes {
                    try ImageDecoder.decodeWithGeometry($0, options: DecodeOptions(mode: mode, region: region))
                }
                let reference = try ImageDecoder.decode(jpeg, options: DecodeOptions(mode: mode)).cropped(to: region)
                #expect(decoded.sourceRegion == region)
                #expect(decoded.image == reference, "region \(region) \(mode) \(subsampling) progressive \(progressive)")
            }
        }
        #expect(full.width == 203)
    }

    @Test func scaledRegionCoversTheRequestedRectangle() throws {
        let jpeg = try JPEGEncoder.encode(Self.pattern(width: 500, height: 375), quality: 90)
        let region = PixelRegion(x: 101, y: 53, width: 250, height: 200)
        let decoded = try jpeg.withUnsafeBytes {
            try ImageDecoder.decodeWithGeometry($0, options: DecodeOptions(minimumSize: PixelSize(width: 60, height: 50), region: region))
        }
        #expect(decoded.scaleDenominator == 4)
        let covered = decoded.sourceRegion
        #expect(covered.x <= region.x && covered.y <= region.y)
        #expect(covered.x + covered.width >= region.x + region.width && covered.y + covered.height >= region.y + region.height)
        #expect(decoded.image.width == covered.width / 4 && decoded.image.height == covered.height / 4)
    }

    @Test(arguments: subsamplings)
    func fastRegionAtFullScaleCoversTheRectangleWithCloseColours(subsampling: JPEGEncoder.Subsampling) throws {
        // The fast mode returns iMCU-aligned columns decoded with plain (box) chroma upsampling: a superset of the
        // rectangle whose pixels stay close to the exact decode of the same rectangle. This pattern's hard colour
        // edges are the worst case (mean difference up to ≈6 levels in 4:2:0); the benchmark's photographs differ by
        // 0.57 levels on average.
        let jpeg = try JPEGEncoder.encode(Self.pattern(width: 203, height: 157), quality: 90, subsampling: subsampling)
        let full = try ImageDecoder.decode(jpeg)
        for region in [PixelRegion(x: 37, y: 21, width: 50, height: 60), PixelRegion(x: 190, y: 140, width: 13, height: 17),
                       PixelRegion(x: 0, y: 0, width: 203, height: 157), PixelRegion(x: 150, y: 9, width: 53, height: 148)] {
            let decoded = try jpeg.withUnsafeBytes {
                try ImageDecoder.decodeWithGeometry($0, options: DecodeOptions(
                    minimumSize: PixelSize(width: region.width, height: region.height), region: region))
            }
            let covered = decoded.sourceRegion
            #expect(decoded.scaleDenominator == 1)
            #expect(covered.x <= region.x && covered.x + covered.width >= region.x + region.width, "\(region) → \(covered)")
            #expect(covered.y == region.y && covered.height == region.height)
            #expect(decoded.image.width == covered.width && decoded.image.height == covered.height)
            let reference = full.cropped(to: covered)
            let total = zip(decoded.image.pixels, reference.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
            let mean = Double(total) / Double(max(reference.pixels.count, 1))
            #expect(mean < (subsampling == .s444 ? 1 : 8), "\(region) \(subsampling): mean abs difference \(mean) from the exact decode")
        }
    }

    @Test func regionOutsideTheImageIsRefused() throws {
        let jpeg = try JPEGEncoder.encode(Self.pattern(width: 40, height: 30))
        for region in [PixelRegion(x: 30, y: 0, width: 11, height: 5), PixelRegion(x: 0, y: 0, width: 0, height: 5),
                       PixelRegion(x: -1, y: 0, width: 5, height: 5)] {
            #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(jpeg, options: DecodeOptions(region: region)) }
            do {
                _ = try ImageDecoder.decode(jpeg, options: DecodeOptions(region: region))
            } catch {
                #expect(error.kind == .invalidArgument)
            }
        }
    }
}
