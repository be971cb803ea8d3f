import ArgumentParsing
import Augment
import Foundation
import Loader
import Tar

/// `sgid shards create SOURCE --out 'dir/shard-%06d.tar' [--max-count N] [--max-size BYTES] [--shuffle --seed S]`:
/// writes WebDataset shards (webdataset's `ShardWriter` equivalent): per sample the image under its own extension,
/// `.cls` with the label, `.txt` with the caption and `.json` with the metadata, when present.
enum ShardsCreateCommand: SubCommand {
    static let spec = CommandSpec(
        name: "shards create",
        synopsis: "shards create SOURCE --out PATTERN [--max-count N] [--max-size BYTES] [--shuffle --seed S]",
        options: [
            .value("out", help: "shard file pattern with one printf integer, e.g. 'out/train-%06d.tar'"),
            .value("max-count", help: "samples per shard at most (default 100000)"),
            .value("max-size", help: "bytes per shard at most (default 3e9)"),
            .flag("shuffle", help: "write samples in a shuffled order"),
            .value("seed", help: "seed of the shuffle (default 0)"),
        ],
        positionals: 1...1)
    static let summary = "write a dataset as WebDataset tar shards"

    /// The shard path for a shard number, from a pattern with one `%d`-style conversion.
    static func path(_ pattern: String, _ number: Int) -> String { String(format: pattern, number) }

    static func run(_ arguments: ParsedArguments) throws {
        guard let pattern = arguments.value("out") else { throw UsageError("--out PATTERN is required") }
        guard pattern.contains("%"), path(pattern, 0) != path(pattern, 1) else {
            throw UsageError("--out must contain one integer conversion such as %06d, got '\(pattern)'")
        }
        let maxCount = try arguments.integer("max-count", in: 1...Int.max) ?? 100_000
        let maxSize = try arguments.integer("max-size", in: 1024...Int.max) ?? 3_000_000_000
        let source = try Dataset.open(arguments.positionals[0])
        var samples: [Sample] = []
        try source.forEachSample { result in
            switch result {
            case .success(let sample): samples.append(sample)
            case .failure(let error): throw CommandFailure(error.description)
            }
            return true
        }
        if arguments.flag("shuffle") {
            var rng = SampleRNG(seed: UInt64(try arguments.integer("seed", in: 0...Int.max) ?? 0), epoch: 0, purpose: 99)
            samples.shuffle(using: &rng)
        }
        let progress = ProgressBar(total: samples.count, label: "shards")
        var writer: TarWriter<FileByteSink>?
        var shard = -1, inShard = 0
        do throws(TarError) {
            for (number, sample) in samples.enumerated() {
                let members = try Self.members(of: sample)
                let size = members.reduce(0) { $0 + 512 + ($1.1.count + 511) / 512 * 512 }
                if writer == nil || inShard >= maxCount || (inShard > 0 && Int(writer!.offset) + size > maxSize) {
                    try writer?.finish()
                    shard += 1
                    inShard = 0
                    let file = path(pattern, shard)
                    try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                             withIntermediateDirectories: true)
                    writer = TarWriter(sink: try FileByteSink(path: file))
                }
                for (name, data) in members { try writer!.addFile(name, contents: data) }
                inShard += 1
                progress.update(number + 1)
            }
            try writer?.finish()
        } catch {
            throw CommandFailure(error.description)
        }
        progress.finish()
        print("wrote \(samples.count) samples into \(shard + 1) shard(s): \(path(pattern, 0)) …")
    }

    /// The tar members of one sample: image, label, caption, metadata.
    static func members(of sample: Sample) throws(TarError) -> [(String, [UInt8])] {
        guard case .encoded(let bytes) = sample.image else {
            throw TarError(.invalidMember, "sample \(sample.key) has no encoded image")
        }
        let key = sample.key.hasSuffix("/") ? String(sample.key.dropLast()) : stem(sample.key)
        var members: [(String, [UInt8])] = [("\(key).\(imageExtension(sample))", bytes)]
        if let label = sample.label { members.append(("\(key).cls", Array("\(label)".utf8))) }
        if let caption = sample.caption { members.append(("\(key).txt", Array(caption.utf8))) }
        var metadata = sample.metadata
        if let className = sample.className { metadata["class"] = className }
        if !metadata.isEmpty, let json = try? JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys]) {
            members.append(("\(key).json", [UInt8](json)))
        }
        return members
    }

    /// The WebDataset key of an ImageFolder file path: the extension removed and the other dots of the file name
    /// replaced by `_`, because webdataset splits a member name at the basename's first dot
    /// (`cat/img.v2.jpg` → `cat/img_v2`).
    static func stem(_ key: String) -> String {
        let name = (key as NSString).lastPathComponent
        let base = (name as NSString).deletingPathExtension.replacingOccurrences(of: ".", with: "_")
        guard !base.isEmpty else { return key }
        let directory = (key as NSString).deletingLastPathComponent
        return directory.isEmpty ? base : directory + "/" + base
    }

    /// The extension for the image member, from the source file name or the sniffed format.
    static func imageExtension(_ sample: Sample) -> String {
        let name = (sample.source.path as NSString).pathExtension.lowercased()
        return name.isEmpty ? "jpg" : name
    }
}
