import Augment
import Foundation
import Loader
import Testing

@Suite("DataLoader policies, outputs, shards and shutdown")
struct DataLoaderBehaviourTests {
    @Test func failPolicyStopsWithTheSampleNamed() throws {
        let dataset = MemoryIndexedDataset(count: 40, broken: [17])
        let loader = try DataLoader(dataset: dataset, configuration: LoaderConfiguration(batchSize: 8, threads: 3, shuffle: false))
        let iterator = try loader.epoch(0)
        var delivered = 0
        do throws(LoaderError) {
            while try iterator.next() != nil { delivered += 1 }
            Issue.record("the broken sample did not stop the epoch")
        } catch {
            #expect(error.kind == .decode)
            #expect(error.key == "sample-17")
            #expect(error.description.contains("memory member '17.png' (key sample-17): decode:"), "\(error)")
        }
        #expect(delivered == 2)
        #expect(throws: LoaderError.self) { try iterator.next() }  // stays failed
    }

    @Test(arguments: [CorruptSamplePolicy.skip, .warn])
    func skipPolicyDropsCountsAndStaysDeterministic(policy: CorruptSamplePolicy) throws {
        let dataset = MemoryIndexedDataset(count: 50, broken: [3, 20, 21, 49])
        func run(threads: Int) throws -> ([String], EpochSummary) {
            let loader = try DataLoader(dataset: dataset, configuration: LoaderConfiguration(
                batchSize: 8, seed: 9, threads: threads, corruptPolicy: policy))
            let iterator = try loader.epoch(1)
            let batches = try allBatches(iterator)
            return (batches.map(\.fingerprint), iterator.summary)
        }
        let (one, summary) = try run(threads: 1)
        let (many, _) = try run(threads: 6)
        #expect(one == many)
        #expect(summary.samples == 46)
        #expect(summary.skipped == ["decode": 4])
        #expect(summary.skippedExamples.count == 4)
        #expect(summary.batches == 6)
    }

    /// Fails every sample whose key is listed (an augmentation failure, not a decode failure).
    struct FailingAugmenter: Augmenter {
        let keys: Set<String>
        func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
            guard keys.contains(sample.key) else { return }
            throw AugmentError(operation: "failing", key: sample.key, source: sample.source, message: "refused on purpose")
        }
    }

    @Test func theSummaryTellsDecodeFailuresFromAugmentationFailures() throws {
        let dataset = MemoryIndexedDataset(count: 20, broken: [3, 11])
        let loader = try DataLoader(dataset: dataset, pipeline: Pipeline([FailingAugmenter(keys: ["sample-5", "sample-6", "sample-7"])]),
                                    configuration: LoaderConfiguration(batchSize: 4, threads: 2, corruptPolicy: .skip))
        let iterator = try loader.epoch(0)
        _ = try allBatches(iterator)
        #expect(iterator.summary.skipped == ["decode": 2, "augmentation": 3])
        #expect(iterator.summary.samples == 15)
    }

    @Test func mismatchedSizesNameTheKey() throws {
        let dataset = MemoryIndexedDataset(count: 12, oddSized: [5])
        let loader = try DataLoader(dataset: dataset, configuration: LoaderConfiguration(batchSize: 12, shuffle: false))
        do {
            _ = try allBatches(loader.epoch(0))
            Issue.record("mixed sizes were collated")
        } catch let error as LoaderError {
            #expect(error.kind == .shapeMismatch)
            #expect(error.key == "sample-5")
        }
    }

    @Test func floatOutputsAreNormalisedInBothLayouts() throws {
        let dataset = MemoryIndexedDataset(count: 4)
        let bytes = try allBatches(DataLoader(dataset: dataset, configuration: LoaderConfiguration(batchSize: 4, shuffle: false).with(output: .uint8NHWC)).epoch(0))[0]
        let nchw = try allBatches(DataLoader(dataset: dataset, configuration: LoaderConfiguration(batchSize: 4, shuffle: false).with(output: .float32NCHW(.imagenet))).epoch(0))[0]
        let nhwc = try allBatches(DataLoader(dataset: dataset, configuration: LoaderConfiguration(batchSize: 4, shuffle: false).with(output: .float32NHWC(.imagenet))).epoch(0))[0]
        let mean: [Float] = [0.485, 0.456, 0.406], std: [Float] = [0.229, 0.224, 0.225]
        bytes.withUInt8Images { pixels in
            nchw.withFloatImages { planar in
                nhwc.withFloatImages { interleaved in
                    let plane = bytes.width * bytes.height
                    for sample in 0..<4 {
                        for pixel in 0..<plane {
                            for channel in 0..<3 {
                                let value = Float(pixels[sample * plane * 3 + pixel * 3 + channel])
                                let expected = (value / 255 - mean[channel]) / std[channel]
                                #expect(abs(planar[sample * plane * 3 + channel * plane + pixel] - expected) < 1e-5)
                                #expect(abs(interleaved[sample * plane * 3 + pixel * 3 + channel] - expected) < 1e-5)
                            }
                        }
                    }
                }
            }
        }
        #expect(nchw.labels == [0, 1, 0, 1])
        #expect(nchw.keys == ["sample-0", "sample-1", "sample-2", "sample-3"])
    }

    @Test func shardedDatasetsSplitShardsShuffleAndEvenTheRanks() throws {
        let dataset = MemoryShardedDataset(shardSizes: [30, 10, 25, 5, 17, 13])
        let configuration = LoaderConfiguration(batchSize: 4, seed: 5, threads: 2, shuffleBuffer: 20, shuffleInitial: 5)
        let single = try allBatches(DataLoader(dataset: dataset, configuration: configuration).epoch(0)).flatMap(\.numbers)
        #expect(single.sorted() == Array(0..<100))
        #expect(single != Array(0..<100))
        var union: [Int] = []
        for rank in 0..<3 {
            var split = configuration
            split.samplesPerRank = .shards  // the split_by_node pass: every sample once, uneven lengths
            split.rank = rank
            split.worldSize = 3
            union += try allBatches(DataLoader(dataset: dataset, configuration: split).epoch(0)).flatMap(\.numbers)
        }
        #expect(union.sorted() == Array(0..<100))  // shards split, no overlap
        // With a fixed epoch length every rank yields the same number of batches, cycling through its shards.
        var counts: Set<Int> = []
        for rank in 0..<3 {
            var even = configuration
            even.rank = rank
            even.worldSize = 3
            even.samplesPerRank = 40
            counts.insert(try allBatches(DataLoader(dataset: dataset, configuration: even).epoch(1)).count)
        }
        #expect(counts == [10])
        var tooMany = configuration
        tooMany.worldSize = 7
        tooMany.samplesPerRank = .shards
        #expect(throws: LoaderError.self) { try DataLoader(dataset: dataset, configuration: tooMany) }
        tooMany.samplesPerRank = .auto  // splits shards across ranks: fewer shards than ranks is fine
        #expect(try allBatches(DataLoader(dataset: dataset, configuration: tooMany).epoch(0)).flatMap(\.numbers).count == 15)
    }

    @Test func shardErrorsFollowThePolicy() throws {
        let dataset = MemoryShardedDataset(shardSizes: [6, 6], failInShard: 1)
        var configuration = LoaderConfiguration(batchSize: 4, shuffle: false, corruptPolicy: .skip)
        let iterator = try DataLoader(dataset: dataset, configuration: configuration).epoch(0)
        #expect(try allBatches(iterator).flatMap(\.numbers) == Array(0..<12).filter { $0 != 7 })  // shard 1 member 1 is bad
        #expect(iterator.summary.skipped == ["invalidSample": 1])
        configuration.corruptPolicy = .fail
        #expect(throws: LoaderError.self) { try allBatches(DataLoader(dataset: dataset, configuration: configuration).epoch(0)) }
    }

    @Test func breakingOutEarlyLeavesNoThreadsBehind() throws {
        // The loader's threads carry a name unique to this test, so tests running alongside cannot move the count.
        let name = "brk-early"
        var configuration = LoaderConfiguration(batchSize: 4, threads: 4, prefetchBatches: 2)
        configuration.threadName = name
        #expect(threadCount(named: name) == 0)
        var running: [Int] = []
        for _ in 0..<5 {
            let loader = try DataLoader(dataset: MemoryIndexedDataset(count: 200), configuration: configuration)
            let iterator = try loader.epoch(0)
            _ = try iterator.next()
            running.append(threadCount(named: name))
        }
        #expect(running.allSatisfy { $0 >= 1 }, "the loader's threads are visible by name while it runs: \(running)")
        let deadline = Date().addingTimeInterval(5)
        while threadCount(named: name) > 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(threadCount(named: name) == 0, "threads left behind: \(threadCount(named: name))")
    }

    @Test func asyncSequenceDeliversTheSameBatches() async throws {
        let loader = try DataLoader(dataset: MemoryIndexedDataset(count: 30), pipeline: Pipeline { RandomTint() },
                                    configuration: LoaderConfiguration(batchSize: 7, seed: 1, threads: 2))
        var fingerprints: [String] = []
        for try await batch in loader.batches(epoch: 2) { fingerprints.append(batch.fingerprint) }
        #expect(fingerprints == (try allBatches(loader.epoch(2)).map(\.fingerprint)))
        var first: String?
        for try await batch in loader.batches(epoch: 2) {
            first = batch.fingerprint
            break
        }
        #expect(first == fingerprints.first)
    }
}

extension LoaderConfiguration {
    func with(output: OutputFormat) -> LoaderConfiguration {
        var copy = self
        copy.output = output
        return copy
    }
}
