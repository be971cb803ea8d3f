import Dispatch
import Foundation
import ImageCodec
import Loader

/// The decoding bound: libjpeg-turbo (through `ImageDecoder`) decoding every file of the set at 1/8 DCT scale, the
/// cheapest decode there is, on all threads (`DispatchQueue.concurrentPerform`, thread t takes files t, t + T, …).
/// Files are read into memory first; only decoding is timed.
struct DecodeBound {
    /// Files decoded per pass.
    let images: Int
    /// The fastest pass, in seconds.
    let bestSeconds: Double
    /// CPU time (all threads) per image over the timed passes, in milliseconds.
    let cpuMillisecondsPerImage: Double

    /// Decodes the set once untimed (checking that every file decodes at 1/8), then `options.rounds` timed passes.
    /// - Parameter options: Root, threads, rounds.
    /// - Throws: `BenchmarkFailure` when a file cannot be read or decoded, or the decoder picks another scale.
    init(_ options: BenchmarkOptions) throws {
        let files = try Self.load(root: options.root)
        let threads = options.threads
        let failures = ResultSlots(count: threads)
        let pass = { @Sendable (check: Bool) in
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                var total = 0
                for index in stride(from: worker, to: files.count, by: threads) {
                    do {
                        let decoded = try files[index].bytes.withUnsafeBytes {
                            try ImageDecoder.decodeWithGeometry($0, options: files[index].options)
                        }
                        if check, decoded.scaleDenominator != 8 {
                            failures.fail(worker, "\(files[index].path): decoded at 1/\(decoded.scaleDenominator), not 1/8")
                        }
                        total &+= decoded.image.pixels.count &+ Int(decoded.image.pixels[0])
                    } catch {
                        failures.fail(worker, "\(files[index].path): \(error)")
                    }
                }
                failures.add(worker, total)
            }
        }
        pass(true)
        if let failure = failures.firstFailure { throw BenchmarkFailure(failure) }
        let clock = ContinuousClock()
        var best = Double.infinity
        let cpuStart = processCPUSeconds()
        for _ in 0..<options.rounds {
            let start = clock.now
            pass(false)
            best = min(best, seconds(clock.now - start))
        }
        blackHole(failures.total)
        images = files.count
        bestSeconds = best
        cpuMillisecondsPerImage = 1000 * (processCPUSeconds() - cpuStart) / Double(files.count * options.rounds)
    }

    /// One file in memory with the options that force 1/8: the decoder picks the coarsest scale whose output
    /// (`ceil(side / d)`) still covers `minimumSize`, so asking for exactly the 1/8 size selects 1/8.
    struct File: Sendable {
        let path: String
        let bytes: [UInt8]
        let options: DecodeOptions
    }

    private static func load(root: String) throws -> [File] {
        do {
            let dataset = try ImageFolderDataset(root: root)
            return try (0..<dataset.count).map { index in
                let path = dataset.path(at: index)
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                let info = try ImageDecoder.info(bytes)
                return File(path: path, bytes: bytes,
                            options: DecodeOptions(mode: .rgb, minimumSize: PixelSize(width: (info.width + 7) / 8,
                                                                                      height: (info.height + 7) / 8)))
            }
        } catch {
            throw BenchmarkFailure("\(error)")
        }
    }
}
