import Foundation
import ImageCodec
import Testing
import TestSupport

/// PNG encoding: lossless round trips through our decoder, and Pillow reads what we write identically.
@Suite("PNG encoder")
struct PNGEncoderTests {
    static func pattern(width: Int, height: Int, channels: Int) -> Image {
        var generator = SplitMix64(seed: UInt64(width * 1000 + height * 10 + channels))
        var image = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    let smooth = (x * 255 / max(1, width - 1) + y * (c + 1) * 7) & 0xFF
                    image[x, y, c] = UInt8(truncatingIfNeeded: smooth + Int.random(in: -6...6, using: &generator))
                }
            }
        }
        return image
    }

    @Test(arguments: [1, 3, 4])
    func roundTripsAtEveryCompressionLevel(channels: Int) throws {
        for (width, height) in [(1, 1), (2, 2), (17, 33), (64, 48)] {
            let image = Self.pattern(width: width, height: height, channels: channels)
            var sizes: [Int] = []
            for level in [0, 1, 6, 9] {
                let bytes = try PNGEncoder.encode(image, compressionLevel: level)
                sizes.append(bytes.count)
                let info = try ImageDecoder.info(bytes)
                #expect(info.format == .png && info.width == width && info.height == height)
                #expect(info.storedChannels == channels)
                let mode: ColorMode = channels == 1 ? .gray : .rgb
                let decoded = try ImageDecoder.decode(bytes, options: DecodeOptions(mode: mode))
                if channels == 4 {
                    // Alpha is dropped on decode, as Pillow's convert('RGB') drops it.
                    let rgb = image.pixels.enumerated().filter { $0.offset % 4 != 3 }.map(\.element)
                    #expect(decoded.pixels == rgb)
                } else {
                    #expect(decoded.pixels == image.pixels)
                }
            }
            if width * height >= 64 { #expect(sizes[0] > sizes[3], "level 0 should store, level 9 compress") }
        }
    }

    @Test func invalidRequestsAreRefused() {
        let image = Self.pattern(width: 4, height: 4, channels: 3)
        #expect(throws: ImageCodecError.self) { try PNGEncoder.encode(image, compressionLevel: 10) }
        #expect(throws: ImageCodecError.self) { try PNGEncoder.encode(image, compressionLevel: -1) }
        #expect(throws: ImageCodecError.self) { try PNGEncoder.encode(Image(width: 0, height: 3, channels: 1)) }
    }

    @Test func pillowReadsWhatWeWriteIdentically() throws {
        let directory = try TemporaryDirectory(prefix: "png-encoder")
        var originals: [(String, Image)] = []
        for channels in [1, 3, 4] {
            for (width, height) in [(1, 1), (17, 33), (64, 48)] {
                let image = Self.pattern(width: width, height: height, channels: channels)
                let path = directory.path("c\(channels)-\(width)x\(height).png")
                try Data(try PNGEncoder.encode(image, compressionLevel: (width + channels) % 10)).write(
                    to: URL(fileURLWithPath: path))
                originals.append((path, image))
            }
        }
        let script = """
            import sys
            from PIL import Image
            for path in sys.argv[1:]:
                with Image.open(path) as image:
                    image.load()
                    print(path, image.mode, image.size[0], image.size[1])
                    open(path + '.raw', 'wb').write(image.tobytes())
            """
        let interpreter = PeerPython.interpreter
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            Issue.record("peer Python not found at \(interpreter); run scripts/setup.sh (or set SGID_PYTHON)")
            return
        }
        let output = try PeerPython.runProcess(interpreter, ["-c", script] + originals.map(\.0))
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == originals.count)
        for (path, image) in originals {
            let pillow = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + ".raw")))
            let expectedMode = [1: "L", 3: "RGB", 4: "RGBA"][image.channels]!
            #expect(lines.contains { $0.hasPrefix("\(path) \(expectedMode) \(image.width) \(image.height)") })
            #expect(pillow == image.pixels, "Pillow reads \(path) differently")
        }
        print("PNG encoder: Pillow read \(originals.count)/\(originals.count) files identically")
    }
}
