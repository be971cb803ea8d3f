import ImageCodec
import Testing
@testable import Augment

/// The exact mode's streamed decode + resize (`StreamedResize`) must give the bytes of resizing the decoded region,
/// which the resize parity tests tie to Pillow: the same augmenter with the same draws on the encoded image and on
/// its decoded pixels.
@Suite("Streamed resize")
struct StreamedResizeTests {
    @Test func encodedAndDecodedImagesGiveTheSameCropsAndResizes() throws {
        let sizes = [(203, 157), (640, 480), (97, 300), (1200, 34)]
        var streamed = 0, compared = 0
        for (index, (width, height)) in sizes.enumerated() {
            for channels in [3, 1] {
                let original = TestImages.natural(width: width, height: height, channels: channels, seed: UInt64(index))
                let encodings: [[UInt8]] = [
                    try JPEGEncoder.encode(original, quality: 90, subsampling: .s420),
                    try JPEGEncoder.encode(original, quality: 85, subsampling: .s422, progressive: true),
                    try JPEGEncoder.encode(original, quality: 95, subsampling: .s444),
                    try PNGEncoder.encode(original),
                ]
                for bytes in encodings {
                    let decoded = try ImageDecoder.decode(bytes, options: DecodeOptions(mode: channels == 3 ? .rgb : .gray))
                    for position in 0..<12 {
                        let filter = ResampleFilter.allCases[position % ResampleFilter.allCases.count]
                        let output = PixelSize(width: [224, 64, 31][position % 3], height: [224, 48, 77][position % 3])
                        let augmenters: [any Augmenter] = [
                            RandomResizedCrop(size: output, interpolation: filter),
                            Resize(size: output, interpolation: filter),
                        ]
                        for augmenter in augmenters {
                            var encodedSample = TestImages.sample(.encoded(bytes))
                            encodedSample.decodeOptions.mode = channels == 3 ? .rgb : .gray
                            var decodedSample = TestImages.sample(.decoded(decoded))
                            var rngEncoded = SampleRNG(seed: 5, epoch: 1, position: position)
                            var rngDecoded = rngEncoded
                            try augmenter.augment(&encodedSample, using: &rngEncoded)
                            try augmenter.augment(&decodedSample, using: &rngDecoded)
                            let a = try #require(TestImages.pixels(encodedSample))
                            let b = try #require(TestImages.pixels(decodedSample))
                            #expect(a == b, "\(width)x\(height)x\(channels) \(augmenter) \(filter) position \(position)")
                            compared += 1
                            let whole = PixelSize(width: width, height: height)
                            if augmenter is Resize && ImageFormat.sniff(bytes) == .jpeg
                                && StreamedResize.applies(regionSize: whole, to: output, filter: filter) {
                                streamed += 1
                            }
                        }
                    }
                }
            }
        }
        print("Streamed resize: \(compared) encoded/decoded pairs equal (\(streamed) Resize cases streamed)")
        #expect(compared == 768 && streamed > 50)
    }

    /// A file cut short is refused in the exact mode whatever region a crop draws, as Pillow refuses it, although the
    /// region decode never reads the missing rows.
    @Test func truncatedFilesAreRefusedWhateverTheRegion() throws {
        let original = TestImages.natural(width: 640, height: 480)
        for progressive in [false, true] {
            let jpeg = try JPEGEncoder.encode(original, quality: 90, progressive: progressive)
            let cut = Array(jpeg.prefix(jpeg.count * 7 / 10))
            for position in 0..<10 {
                let augmenters: [any Augmenter] = [
                    RandomResizedCrop(size: 64, scale: 0.08...0.2),  // small regions, often far above the cut
                    CenterCrop(size: PixelSize(width: 64, height: 48)),
                ]
                for augmenter in augmenters {
                    var sample = TestImages.sample(.encoded(cut))
                    var rng = SampleRNG(seed: 9, epoch: 0, position: position)
                    #expect(throws: AugmentError.self, "\(augmenter) position \(position) progressive \(progressive)") {
                        try augmenter.augment(&sample, using: &rng)
                    }
                }
            }
        }
    }

    @Test func appliesOnlyWherePillowRunsTheHorizontalPassFirst() {
        let out = PixelSize(width: 224, height: 224)
        #expect(StreamedResize.applies(regionSize: PixelSize(width: 4000, height: 3000), to: out, filter: .bilinear))
        #expect(!StreamedResize.applies(regionSize: PixelSize(width: 300, height: 3000), to: out, filter: .bilinear))
        #expect(!StreamedResize.applies(regionSize: PixelSize(width: 224, height: 3000), to: out, filter: .bicubic))
        #expect(!StreamedResize.applies(regionSize: PixelSize(width: 4000, height: 3000), to: out, filter: .nearest))
    }
}
