import BenchmarkSupport
import Augment
import ImageCodec

/// One operation's measurement over a list of images: an untimed pass that sums every output byte (equal to
/// `pillow_ops.py`'s checksum when the operation is bit-exact), then `rounds` timed passes; the fastest counts.
///
/// Kept out of `main.swift`: closures formed in top-level code are main-actor isolated, and Swift 6 checks the
/// executor each time such a closure is entered.
struct OperationBenchmark {
    /// How many images one pass processes.
    let images: Int
    /// The fastest pass, in seconds.
    let bestSeconds: Double
    /// The sum of every output byte of the untimed pass.
    let checksum: UInt64

    /// Measures `operation` over `images`.
    /// - Parameters:
    ///   - operation: What to apply to every image.
    ///   - images: The inputs, decoded.
    ///   - rounds: Timed passes.
    init(_ operation: Operation, images: [Image], rounds: Int) {
        var checksum: UInt64 = 0
        for image in images {
            checksum = operation.apply(image).pixels.withUnsafeBufferPointer { Self.sum($0, from: checksum) }
        }
        self.images = images.count
        self.checksum = checksum
        self.bestSeconds = BenchmarkTimer.best(rounds: rounds) { () -> Int in
            var total = 0
            for image in images {
                let pixels = operation.apply(image).pixels
                total &+= pixels.count &+ Int(pixels[0])
            }
            return total
        }
    }

    /// A pipeline (`PipelineSpec` inline form, e.g. RandAugment) applied `copies` times to every image as a decoded
    /// `Sample`, each with its own `SampleRNG(seed:, epoch: pass, position:)`; an untimed pass first. Several copies
    /// per pass keep the pass-to-pass spread of the random operation mix small.
    /// - Parameters:
    ///   - pipeline: The parsed pipeline.
    ///   - images: The inputs, decoded.
    ///   - copies: Augmentations of each image per pass.
    ///   - rounds: Timed passes.
    /// - Throws: `AugmentError` from the pipeline.
    init(pipeline: Pipeline, images: [Image], copies: Int, rounds: Int) throws {
        var pass = 0
        func run() throws -> Int {
            var total = 0
            for copy in 0..<copies {
                for (index, image) in images.enumerated() {
                    var sample = Sample(key: "", source: SampleSource(url: "", path: ""), image: .decoded(image))
                    var rng = SampleRNG(seed: 20261124, epoch: pass, position: copy * images.count + index)
                    try pipeline.augment(&sample, using: &rng)
                    let pixels = try sample.pixels().pixels
                    total &+= pixels.count &+ Int(pixels[0])
                }
            }
            pass += 1
            return total
        }
        _ = try run()
        self.images = images.count * copies
        self.checksum = 0
        self.bestSeconds = try BenchmarkTimer.best(rounds: rounds) { try run() }
    }

    private static func sum(_ bytes: UnsafeBufferPointer<UInt8>, from start: UInt64) -> UInt64 {
        var total = start
        for byte in bytes { total &+= UInt64(byte) }
        return total
    }
}
