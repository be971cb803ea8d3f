// A Swift training loop fed by SGIDKit: ImageFolder or WebDataset shards, SGID generations from a precomputed cache
// (used with probability 0.5), RandomResizedCrop + flip, normalised Float32 NCHW batches, resumable.
//
//   swift run TrainingLoopExample SOURCE [CACHE_DIR]
//
// Replace `train(_:)` with your model's step: `batch.withFloatImages { … }` gives the batch × 3 × 224 × 224 floats.
import Augment
import Foundation
import GenerationCache
import Loader
import SGID

func train(_ batch: Batch) -> Double {
    batch.withFloatImages { images in images.reduce(0.0) { $0 + Double($1) } / Double(images.count) }
}

let arguments = CommandLine.arguments.dropFirst()
guard let source = arguments.first else {
    print("usage: TrainingLoopExample SOURCE [CACHE_DIR]")
    exit(2)
}
let statistics = SGIDStatistics()
let store = arguments.count > 1 ? try CacheStore(directory: String(arguments[arguments.startIndex + 1])) : nil
let pipeline = Pipeline {
    if let store {
        SGIDAugmenter(store: store, fingerprint: store.fingerprints.first ?? "", probability: 0.5, statistics: statistics)
    }
    RandomResizedCrop(224)
    HorizontalFlip()
}
let configuration = LoaderConfiguration(batchSize: 64, output: .float32NCHW(.imagenet), seed: 42, decodeMode: .fast)
let loader: DataLoader
var isDirectory: ObjCBool = false
if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue {
    loader = try DataLoader(dataset: try ImageFolderDataset(root: source), pipeline: pipeline, configuration: configuration)
} else {
    loader = try DataLoader(dataset: try WebDatasetDataset(source), pipeline: pipeline, configuration: configuration)
}
for epoch in 0..<2 {
    var steps = 0
    for try await batch in loader.batches(epoch: epoch) {
        _ = train(batch)
        steps += 1
    }
    let counts = statistics.snapshotAndReset()
    print("epoch \(epoch): \(steps) steps, SGID hit rate \(Int(counts.hitRate * 100))%")
}
