import Augment
import Loader

/// Full epochs through the loader: ImageFolder → RandomResizedCrop(224) → HorizontalFlip (→ torchvision
/// RandAugment(2, 9) with `--randaugment`) → Float32 NCHW normalised with ImageNet statistics, as torchvision's
/// standard training transform.
///
/// Kept out of `main.swift`: closures formed in top-level code are main-actor isolated.
struct EpochBenchmark {
    /// Images delivered per epoch.
    let images: Int
    /// The fastest epoch, in seconds: from starting the epoch (threads start there) to its last batch.
    let bestSeconds: Double
    /// CPU time (all threads) per image over all epochs, in milliseconds.
    let cpuMillisecondsPerImage: Double
    /// Epoch 0's checksum: the sum of every 97th float of every batch (equal across builds that produce the same
    /// pixels; the exact mode's must not change when only speed changes).
    let checksum: Double

    /// Runs `options.rounds` epochs (0, 1, …: each with its own order and augmentations).
    /// - Parameter options: Root, decode mode, threads, batch size, rounds.
    /// - Throws: `BenchmarkFailure` when the set cannot be read or a sample fails.
    init(_ options: BenchmarkOptions) throws {
        let dataset: ImageFolderDataset
        let loader: DataLoader
        do {
            dataset = try ImageFolderDataset(root: options.root)
            var pipeline = Pipeline {
                RandomResizedCrop(size: 224)
                HorizontalFlip(p: 0.5)
            }
            if options.randAugment { pipeline = Pipeline(pipeline.stages + [try TorchvisionRandAugment()]) }
            let configuration = LoaderConfiguration(batchSize: options.batchSize, output: .float32NCHW(.imagenet),
                                                    seed: 42, threads: options.threads, decodeMode: options.mode)
            loader = try DataLoader(dataset: dataset, pipeline: pipeline, configuration: configuration)
        } catch {
            throw BenchmarkFailure("\(error)")
        }
        let clock = ContinuousClock()
        var best = Double.infinity
        var delivered = 0
        var first = 0.0
        let cpuStart = processCPUSeconds()
        for epoch in 0..<options.rounds {
            let start = clock.now
            let (count, checksum) = try Self.epoch(epoch, of: loader)
            best = min(best, seconds(clock.now - start))
            if epoch == 0 { first = checksum }
            delivered = count
        }
        guard delivered == dataset.count else {
            throw BenchmarkFailure("an epoch delivered \(delivered) images of \(dataset.count)")
        }
        images = delivered
        bestSeconds = best
        checksum = first
        cpuMillisecondsPerImage = 1000 * (processCPUSeconds() - cpuStart) / Double(delivered * options.rounds)
    }

    /// One epoch: every batch is checked for its shape; epoch 0's are also sampled into the checksum (later epochs
    /// only count, as the PyTorch and DALI harnesses do, so the timed consumer does the same work on every side).
    private static func epoch(_ epoch: Int, of loader: DataLoader) throws -> (images: Int, checksum: Double) {
        var count = 0
        var checksum = 0.0
        do {
            let iterator = try loader.epoch(epoch)
            while let batch = try iterator.next() {
                guard batch.width == 224, batch.height == 224, batch.channels == 3 else {
                    throw BenchmarkFailure("batch \(batch.index) is \(batch.width)x\(batch.height)x\(batch.channels)")
                }
                count += batch.count
                if epoch == 0 { checksum += batch.withFloatImages(Self.sample) }
            }
        } catch let error as BenchmarkFailure {
            throw error
        } catch {
            throw BenchmarkFailure("epoch \(epoch): \(error)")
        }
        return (count, checksum)
    }

    /// The sum of every 97th float.
    private static func sample(_ floats: UnsafeBufferPointer<Float>) -> Double {
        var sum = 0.0
        for index in stride(from: 0, to: floats.count, by: 97) { sum += Double(floats[index]) }
        return sum
    }
}
