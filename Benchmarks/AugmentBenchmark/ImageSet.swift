import Foundation
import ImageCodec

/// The benchmark's input: every PNG crop decoded to RGB pixels before any timing.
struct ImageSet {
    /// The size of the images the resize rows use.
    static let large = PixelSize(width: 500, height: 375)

    /// All images, in command-line order.
    let images: [Image]
    /// The 500×375 ones.
    let largeImages: [Image]

    /// Reads and decodes every file.
    /// - Parameter paths: The files (made by `pillow_ops.py make-set`).
    /// - Throws: `BenchmarkFailure` when a file is unreadable or not decodable.
    init(paths: [String]) throws {
        images = try paths.map { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw BenchmarkFailure("cannot read \(path)") }
            do {
                return try ImageDecoder.decode([UInt8](data), options: DecodeOptions(mode: .rgb))
            } catch {
                throw BenchmarkFailure("\(path): \(error)")
            }
        }
        largeImages = images.filter { $0.width == Self.large.width && $0.height == Self.large.height }
    }
}

/// A benchmark that cannot run.
struct BenchmarkFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// Creates a failure.
    /// - Parameter description: What went wrong.
    init(_ description: String) { self.description = description }
}
