import Augment
import Foundation
import ImageCodec
import Loader

/// Small datasets held in memory for engine tests: encoded images (PNG, so pixels are exact) of a fixed size whose
/// pixels encode the sample number, with optional broken samples.
enum TestImages {
    static func image(_ number: Int, width: Int = 8, height: Int = 6) -> Image {
        var image = Image(width: width, height: height, channels: 3)
        for y in 0..<height {
            for x in 0..<width {
                image[x, y, 0] = UInt8(truncatingIfNeeded: number)
                image[x, y, 1] = UInt8(truncatingIfNeeded: number >> 8)
                image[x, y, 2] = UInt8(truncatingIfNeeded: x * 16 + y)
            }
        }
        return image
    }

    static func png(_ number: Int, width: Int = 8, height: Int = 6) -> [UInt8] {
        try! PNGEncoder.encode(image(number, width: width, height: height))  // swiftlint:disable:this force_try
    }
}

struct MemoryIndexedDataset: IndexedDataset {
    let encoded: [[UInt8]]
    let classNames = ["even", "odd"]
    var count: Int { encoded.count }

    init(count: Int, broken: Set<Int> = [], oddSized: Set<Int> = []) {
        encoded = (0..<count).map { number in
            if broken.contains(number) { return Array(TestImages.png(number).prefix(40)) }
            return oddSized.contains(number) ? TestImages.png(number, width: 9, height: 6) : TestImages.png(number)
        }
    }

    func sample(at index: Int) throws(LoaderError) -> Sample {
        Sample(key: "sample-\(index)", label: index % 2, className: classNames[index % 2],
               source: SampleSource(url: "memory", path: "\(index).png", index: index), image: .encoded(encoded[index]))
    }
}

struct MemoryShardedDataset: ShardedDataset {
    struct Reader: ShardSampleReader {
        var samples: [Sample]
        var position = 0
        let failAt: Int?
        mutating func next() throws(LoaderError) -> Sample? {
            defer { position += 1 }
            if position == failAt { throw LoaderError(.invalidSample, "injected bad sample", location: "shard", key: "bad") }
            guard position < samples.count else { return nil }
            return samples[position]
        }
    }

    let shardSizes: [Int]
    let failInShard: Int?
    var shards: [String] { shardSizes.indices.map { "memory-shard-\($0).tar" } }
    let classNames: [String] = []

    init(shardSizes: [Int], failInShard: Int? = nil) {
        self.shardSizes = shardSizes
        self.failInShard = failInShard
    }

    func open(shard index: Int) throws(LoaderError) -> Reader {
        let start = shardSizes[..<index].reduce(0, +)
        let samples = (start..<start + shardSizes[index]).map { number in
            Sample(key: "s\(number)", label: number, source: SampleSource(url: shards[index], path: "\(number).png"),
                   image: .encoded(TestImages.png(number)))
        }
        return Reader(samples: samples, failAt: index == failInShard ? 1 : nil)
    }
}

/// A random augmenter for determinism tests: adds a value drawn from the generator to the blue channel.
struct RandomTint: Augmenter {
    func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        var image = try sample.pixels()
        let tint = UInt8(rng.int(in: 0...200))
        for index in stride(from: 2, to: image.pixels.count, by: 3) { image.pixels[index] &+= tint }
        sample.image = .decoded(image)
    }
}

extension Batch {
    /// Bytes, labels and keys, for equality checks.
    var fingerprint: String {
        let digest = withImageBytes { bytes in bytes.reduce(into: UInt64(1469598103934665603)) { $0 = ($0 ^ UInt64($1)) &* 1099511628211 } }
        return "\(digest)|\(labels)|\(keys)"
    }

    /// The sample number encoded in each image's first pixel (UInt8 batches).
    var numbers: [Int] {
        withUInt8Images { pixels in (0..<count).map { Int(pixels[$0 * imageElements]) | Int(pixels[$0 * imageElements + 1]) << 8 } }
    }
}

/// Collects every batch of an epoch.
func allBatches(_ iterator: EpochIterator) throws -> [Batch] {
    var batches: [Batch] = []
    while let batch = try iterator.next() { batches.append(batch) }
    return batches
}

/// The threads of this process whose name (`/proc/self/task/*/comm`) starts with `prefix`: counting only a test's own
/// named threads keeps the count free of whatever other tests run at the same time.
func threadCount(named prefix: String) -> Int {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.filter { task in
        let comm = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
        return comm.hasPrefix(prefix)
    }.count
}
