import ImageCodec
import Testing
@testable import Augment

@Suite("Flips")
struct FlipTests {
    private let image = Image(width: 3, height: 2, channels: 3, pixels: Array(0..<18))

    @Test("horizontal and vertical flips move pixels as Pillow's transpose does")
    func flipPixels() {
        let horizontal = image.flippedHorizontally()
        let vertical = image.flippedVertically()
        for y in 0..<2 {
            for x in 0..<3 {
                for c in 0..<3 {
                    #expect(horizontal[x, y, c] == image[2 - x, y, c])
                    #expect(vertical[x, y, c] == image[x, 1 - y, c])
                }
            }
        }
        #expect(horizontal.flippedHorizontally() == image)
        #expect(vertical.flippedVertically() == image)
        let gray = Image(width: 1, height: 1, channels: 1, pixels: [9])
        #expect(gray.flippedHorizontally() == gray && gray.flippedVertically() == gray)
    }

    @Test("horizontal flip mirrors every width and channel count (block and tail paths)",
          arguments: [1, 3, 4])
    func horizontalWidths(channels: Int) {
        for width in 1...27 {
            let height = 3
            let pixels = (0..<(width * height * channels)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ width) }
            let image = Image(width: width, height: height, channels: channels, pixels: pixels)
            let flipped = image.flippedHorizontally()
            var expected = [UInt8]()
            for y in 0..<height {
                for x in (0..<width).reversed() {
                    for c in 0..<channels { expected.append(image[x, y, c]) }
                }
            }
            #expect(flipped.pixels == expected, "width \(width), \(channels) channels")
        }
    }

    @Test("flips happen with probability p", arguments: [0.0, 0.3, 0.5, 1.0])
    func probability(p: Double) throws {
        let trials = 4000
        var flipped = 0
        for position in 0..<trials {
            var sample = TestImages.sample(.decoded(image))
            var rng = SampleRNG(seed: 4, epoch: 0, position: position)
            try HorizontalFlip(p: p).augment(&sample, using: &rng)
            if TestImages.pixels(sample) != image { flipped += 1 }
        }
        let rate = Double(flipped) / Double(trials)
        // 4 standard errors of a binomial proportion over 4000 trials is at most 0.032.
        #expect(abs(rate - p) < 0.032, "rate \(rate) for p \(p)")
    }

    @Test("vertical flip draws once and flips with the same decision rule")
    func verticalDecision() throws {
        var sample = TestImages.sample(.decoded(image))
        var rng = SampleRNG(seed: 8, epoch: 0, position: 1)
        var replay = rng
        try VerticalFlip(p: 0.5).augment(&sample, using: &rng)
        let flips = replay.chance(0.5)
        #expect(TestImages.pixels(sample) == (flips ? image.flippedVertically() : image))
        #expect(rng.next() == replay.next())
    }
}
