import Augment
import Foundation
import Loader
import Testing
import TestSupport

/// Samples without an image part (webdataset yields a `__meta__.json`, a text-only or a tensor-only sample as an
/// ordinary sample): skipped and counted by default whatever the error policy, an error under `requiresImage`, and a
/// run of them longer than the in-flight window neither hangs the loader nor loses a sample.
@Suite("WebDataset samples without an image")
struct ImagelessSampleTests {
    /// 3 images, then 40 samples without one (more than the window of prefetchBatches × batchSize = 8), then 3 images.
    static func shard(_ directory: TemporaryDirectory) throws -> WebDatasetDataset {
        var members: [(String, [UInt8])] = [("__meta__.json", WDSShards.text(#"{"shards": 1}"#))]
        for index in 0..<46 {
            let key = String(format: "s%02d", index)
            if index < 3 || index >= 43 {
                members += [("\(key).png", TestImages.png(index)), ("\(key).cls", WDSShards.text("\(index % 2)"))]
            } else {
                members.append((index % 2 == 0 ? "\(key).txt" : "\(key).ten", WDSShards.text("no image \(index)")))
            }
        }
        let path = directory.path("mixed.tar")
        try WDSShards.write(members, to: path)
        return try WebDatasetDataset(shards: [path], options: WebDatasetOptions(secureMode: false))
    }

    @Test func skippedAndCountedByDefaultWhateverThePolicy() throws {
        let directory = try TemporaryDirectory(prefix: "imageless")
        let dataset = try Self.shard(directory)
        for policy in [CorruptSamplePolicy.fail, .skip, .warn] {
            for threads in [1, 3] {
                let configuration = LoaderConfiguration(batchSize: 2, threads: threads, prefetchBatches: 4, shuffle: false,
                                                        corruptPolicy: policy)
                let iterator = try DataLoader(dataset: dataset, configuration: configuration).epoch(0)
                let keys = try allBatches(iterator).flatMap(\.keys)
                #expect(keys == ["s00", "s01", "s02", "s43", "s44", "s45"], "\(policy), \(threads) threads")
                #expect(iterator.summary.skipped == ["noImage": 41], "\(policy)")
            }
        }
    }

    @Test func anErrorWhenImagesAreRequired() throws {
        let directory = try TemporaryDirectory(prefix: "imageless")
        let dataset = try Self.shard(directory)
        var configuration = LoaderConfiguration(batchSize: 2, shuffle: false)
        configuration.requiresImage = true
        let error = #expect(throws: LoaderError.self) { try allBatches(try DataLoader(dataset: dataset, configuration: configuration).epoch(0)) }
        #expect(error?.kind == .noImage && error?.key == "__meta__", "\(String(describing: error))")
        configuration.corruptPolicy = .skip
        let skipping = try DataLoader(dataset: dataset, configuration: configuration).epoch(0)
        #expect(try allBatches(skipping).flatMap(\.keys).count == 6)
        #expect(skipping.summary.skipped == ["noImage": 41])
    }
}
