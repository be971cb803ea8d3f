import Foundation
import ImageCodec
import Testing
import TestSupport
@testable import Augment

@Suite("Resize parity with Pillow")
struct ResizeParityTests {
    @Test("Image.resized matches Pillow's resize byte for byte (every filter, sizes, boxes)")
    func resizeMatchesPillow() throws {
        let (corpus, directory) = try ResizeCorpus.generate()
        var exact = 0, total = 0
        var failures: [String] = []
        for item in corpus.cases where item.kind == "resize" {
            let source = try corpus.image(item.source, in: directory)
            let expected = try corpus.expected(item, channels: source.channels, in: directory)
            let filter = try #require(ResampleFilter.named(item.filter ?? ""))
            let box = item.box.map { ResizeBox(left: $0[0], top: $0[1], right: $0[2], bottom: $0[3]) }
            let result = source.resized(to: PixelSize(width: item.width, height: item.height), filter: filter, box: box)
            total += 1
            if result == expected {
                exact += 1
            } else if failures.count < 10 {
                let differing = zip(result.pixels, expected.pixels).filter { $0 != $1 }.count
                failures.append("\(source.width)x\(source.height)x\(source.channels) → \(item.width)x\(item.height) "
                    + "\(filter) box \(item.box ?? []): \(differing) bytes differ")
            }
        }
        print("Resize parity with Pillow: \(exact)/\(total) exact")
        #expect(total > 1000)
        #expect(exact == total, "\(failures.joined(separator: "\n"))")
    }

    @Test("crop then bilinear resize and center crop match torchvision's PIL path")
    func cropPathsMatchPillow() throws {
        let (corpus, directory) = try ResizeCorpus.generate()
        var exact = 0, total = 0
        var failures: [String] = []
        for item in corpus.cases where item.kind != "resize" {
            let source = try corpus.image(item.source, in: directory)
            let expected = try corpus.expected(item, channels: source.channels, in: directory)
            let result: Image
            if let region = item.region {
                result = RandomResizedCrop.cropAndResize(
                    source, region: PixelRegion(x: region[0], y: region[1], width: region[2], height: region[3]),
                    to: PixelSize(width: item.width, height: item.height), filter: .bilinear)
            } else {
                let crop = try #require(item.crop)
                result = CenterCrop.apply(source, size: PixelSize(width: crop[0], height: crop[1]))
            }
            total += 1
            if result == expected { exact += 1 } else if failures.count < 10 {
                failures.append("\(item.kind) \(source.width)x\(source.height)x\(source.channels) "
                    + "\(item.region ?? item.crop ?? []) → \(item.width)x\(item.height)")
            }
        }
        print("Crop/resized-crop parity with Pillow: \(exact)/\(total) exact")
        #expect(total > 100)
        #expect(exact == total, "\(failures.joined(separator: "\n"))")
    }

    @Test("four-channel images resize as independent channels (the RGB and the fourth channel each match)",
          arguments: ResampleFilter.allCases)
    func fourChannels(filter: ResampleFilter) {
        let rgb = TestImages.natural(width: 37, height: 23, seed: 5)
        let alpha = TestImages.natural(width: 37, height: 23, channels: 1, seed: 6)
        var rgba = [UInt8]()
        for index in 0..<(37 * 23) { rgba += rgb.pixels[(index * 3)..<(index * 3 + 3)] + [alpha.pixels[index]] }
        let image = Image(width: 37, height: 23, channels: 4, pixels: rgba)
        for (size, box) in [(PixelSize(width: 11, height: 40), nil), (PixelSize(width: 50, height: 7), nil),
                            (PixelSize(width: 9, height: 9), ResizeBox(left: 2.5, top: 1, right: 30, bottom: 20.25))] {
            let four = image.resized(to: size, filter: filter, box: box)
            let three = rgb.resized(to: size, filter: filter, box: box)
            let one = alpha.resized(to: size, filter: filter, box: box)
            var expected = [UInt8]()
            for index in 0..<(size.width * size.height) {
                expected += three.pixels[(index * 3)..<(index * 3 + 3)] + [one.pixels[index]]
            }
            #expect(four.pixels == expected, "\(filter) \(size)")
        }
    }
}
