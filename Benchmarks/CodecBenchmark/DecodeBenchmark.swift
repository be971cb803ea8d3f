import BenchmarkSupport
import ImageCodec

/// One scale's measurement of `ImageDecoder.decodeWithGeometry` over the whole image set.
///
/// Kept out of `main.swift`: closures formed in top-level code are main-actor isolated, and Swift 6 checks the
/// executor each time such a closure is entered, which would add work the C program does not do.
struct DecodeBenchmark {
    /// The DCT scale denominator measured (1, 2, 4 or 8).
    let denominator: Int
    /// The fastest pass over the set, in seconds.
    let bestSeconds: Double
    /// The sum of every output byte (from an untimed pass), to compare with the C program's.
    let checksum: UInt64

    /// Decodes the set once untimed (checking the forced scale, summing the pixels), then `rounds` timed passes.
    /// - Parameters:
    ///   - set: The files, in memory.
    ///   - denominator: The scale to force: 1, 2, 4 or 8.
    ///   - rounds: Timed passes; the fastest counts.
    /// - Throws: `BenchmarkFailure` when a file fails to decode or the decoder picks another scale.
    init(set: ImageSet, denominator: Int, rounds: Int) throws {
        let options = set.files.map { ImageSet.options(denominator: denominator, for: $0.size) }
        var checksum: UInt64 = 0
        for (file, fileOptions) in zip(set.files, options) {
            let decoded = try Self.decode(file, options: fileOptions)
            guard decoded.scaleDenominator == denominator else {
                throw BenchmarkFailure(
                    "\(file.name): asked for scale 1/\(denominator), decoder chose 1/\(decoded.scaleDenominator)")
            }
            checksum = decoded.image.pixels.withUnsafeBufferPointer { Self.sum($0, from: checksum) }
        }
        self.denominator = denominator
        self.checksum = checksum
        self.bestSeconds = try BenchmarkTimer.best(rounds: rounds) { () throws -> Int in
            var total = 0
            for index in set.files.indices {
                let pixels = try Self.decode(set.files[index], options: options[index]).image.pixels
                total &+= pixels.count &+ Int(pixels[0]) &+ Int(pixels[pixels.count - 1])
            }
            return total
        }
    }

    /// Throughput in images per second.
    /// - Parameter imageCount: How many images one pass decodes.
    /// - Returns: `imageCount / bestSeconds`.
    func imagesPerSecond(imageCount: Int) -> Double { Double(imageCount) / bestSeconds }

    private static func decode(_ file: ImageSet.File, options: DecodeOptions) throws -> DecodedImage {
        do {
            return try file.bytes.withUnsafeBytes { try ImageDecoder.decodeWithGeometry($0, options: options) }
        } catch {
            throw BenchmarkFailure("\(file.name): \(error)")
        }
    }

    private static func sum(_ bytes: UnsafeBufferPointer<UInt8>, from start: UInt64) -> UInt64 {
        var total = start
        for byte in bytes { total &+= UInt64(byte) }
        return total
    }
}

/// A benchmark that cannot run: unreadable input, a decode failure, or the wrong scale chosen.
struct BenchmarkFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// Creates a failure.
    /// - Parameter description: What went wrong.
    init(_ description: String) { self.description = description }
}
