import Foundation
import ImageCodec

/// The benchmark's pictures: `count` 512×512 RGB images, cut from the decode benchmark's photographs when they are
/// present, generated procedurally otherwise.
struct BenchImages {
    /// The side of every image.
    static let side = 512

    /// The images, 512×512×3.
    let images: [Image]
    /// Where they came from, for the report.
    let origin: String

    /// Loads or makes the images.
    /// - Parameters:
    ///   - directory: The folder of `bench_*.jpg` (made by `Benchmarks/make_bench_images.py`).
    ///   - count: How many images.
    /// - Throws: `BenchmarkFailure` when a file is unreadable.
    init(directory: String, count: Int) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("bench_") && $0.hasSuffix(".jpg") }.sorted()
        guard names.count >= count else {
            images = (0..<count).map { ProceduralImage.make(seed: $0, side: Self.side) }
            origin = "\(count) procedural 512×512 images (\(directory) has \(names.count) bench_*.jpg, fewer than \(count))"
            return
        }
        var decoded: [(name: String, image: Image)] = []
        for name in names {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { throw BenchmarkFailure("cannot read \(path)") }
            do {
                decoded.append((name, try ImageDecoder.decode([UInt8](data), options: DecodeOptions(mode: .rgb))))
            } catch {
                throw BenchmarkFailure("\(path): \(error)")
            }
        }
        // Photographs at least 512 px both ways first (centre crop), in name order; then the largest of the others,
        // centre-cropped and mirror-padded up to 512.
        let fits = decoded.filter { min($0.image.width, $0.image.height) >= Self.side }
        let rest = decoded.filter { min($0.image.width, $0.image.height) < Self.side }
            .sorted { min($0.image.width, $0.image.height) > min($1.image.width, $1.image.height) }
        let chosen = Array((fits + rest).prefix(count))
        images = chosen.map { Self.fit($0.image) }
        let padded = chosen.filter { min($0.image.width, $0.image.height) < Self.side }
        let smallest = padded.map { min($0.image.width, $0.image.height) }.min()
        origin = "\(count) 512×512 crops of \(directory)/bench_*.jpg (decode-benchmark photographs): "
            + "\(count - padded.count) centre crops"
            + (padded.isEmpty ? "" : ", \(padded.count) centre crops mirror-padded from ≥\(smallest ?? 0) px")
    }

    /// Centre-crops each dimension to 512, mirror-padding a dimension that is shorter.
    /// - Parameter image: An RGB image.
    /// - Returns: A 512×512 RGB image.
    static func fit(_ image: Image) -> Image {
        let columns = sourceIndices(length: image.width)
        let rows = sourceIndices(length: image.height)
        let channels = image.channels
        var pixels = [UInt8](repeating: 0, count: side * side * channels)
        image.pixels.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                for (y, row) in rows.enumerated() {
                    for (x, column) in columns.enumerated() {
                        for channel in 0..<channels {
                            target[(y * side + x) * channels + channel] = source[(row * image.width + column) * channels + channel]
                        }
                    }
                }
            }
        }
        return Image(width: side, height: side, channels: channels, pixels: pixels)
    }

    /// For each of the 512 output positions, the source position: a centre window, reflected at the edges.
    private static func sourceIndices(length: Int) -> [Int] {
        let start = (length - side) / 2  // negative when padding
        return (0..<side).map { position in
            var index = start + position
            while index < 0 || index >= length { index = index < 0 ? -index - 1 : 2 * length - index - 1 }
            return index
        }
    }
}
