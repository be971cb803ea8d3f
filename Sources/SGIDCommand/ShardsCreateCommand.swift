import ArgumentParsing
import Augment
import Foundation
import Loader
import Tar

/// `sgid shards create SOURCE --out 'dir/shard-%06d.tar' [--max-count N] [--max-size BYTES] [--shuffle --seed S]
/// [--max-side N [--quality Q]]`:
/// writes WebDataset shards (webdataset's `ShardWriter` equivalent). From shards, every part of every sample is carried
/// through byte for byte under its own extension (images, labels, captions, `.json` whether or not it parses, parts we
/// do not read), as webdataset's writer does; from an ImageFolder, the image file's bytes, `.cls` with the label and
/// `.json` with the class name. The pattern is parsed by `ShardNamePattern` (one integer field), never by `printf`.
/// With `--max-side N` (prepared shards), images whose long side exceeds `N` are resized and re-encoded and their
/// original size recorded (`SamplePreparation`); everything else is still copied byte for byte.
enum ShardsCreateCommand: SubCommand {
    static let spec = CommandSpec(
        name: "shards create",
        synopsis: "shards create SOURCE --out PATTERN [--max-count N] [--max-size BYTES] [--shuffle --seed S] [--max-side N [--quality Q]]",
        options: [
            .value("out", help: "shard file pattern with one integer field %d, %6d or %06d, e.g. 'out/train-%06d.tar'"),
            .value("max-count", help: "samples per shard at most (default 100000)"),
            .value("max-size", help: "bytes per shard at most (default 3e9)"),
            .flag("shuffle", help: "write samples in a shuffled order"),
            .value("seed", help: "seed of the shuffle (default 0)"),
            .value("max-side", help: "resize images whose long side exceeds N to N (aspect kept, Pillow BICUBIC) and re-encode them"),
            .value("quality", help: "JPEG quality 1...100 of re-encoded JPEGs (default 90; needs --max-side)"),
        ],
        positionals: 1...1)
    static let summary = "write a dataset as WebDataset tar shards"

    static func run(_ arguments: ParsedArguments) throws {
        guard let text = arguments.value("out") else { throw UsageError("--out PATTERN is required") }
        let pattern = try ShardNamePattern(text)
        let maxCount = try arguments.integer("max-count", in: 1...Int.max) ?? 100_000
        let maxSize = try arguments.integer("max-size", in: 1024...Int.max) ?? 3_000_000_000
        let maxSide = try arguments.integer("max-side", in: 1...65_535)
        let quality = try arguments.integer("quality", in: 1...100)
        if quality != nil, maxSide == nil { throw UsageError("--quality needs --max-side N") }
        let preparation = maxSide.map { SamplePreparation(maxSide: $0, quality: quality ?? 90) }
        let source = try Dataset.open(arguments.positionals[0])
        let inputs = Self.fileIdentities(of: source)
        var samples = try Self.samples(of: source)
        if arguments.flag("shuffle") {
            var rng = SampleRNG(seed: UInt64(try arguments.integer("seed", in: 0...Int.max) ?? 0), epoch: 0, purpose: 99)
            samples.shuffle(using: &rng)
        }
        let progress = ProgressBar(total: samples.count, label: "shards")
        var writer: TarWriter<FileByteSink>?
        var shard = -1, inShard = 0
        var outcomes: [SamplePreparation.Outcome: Int] = [:]
        if let preparation {
            let bar = ProgressBar(total: samples.count, label: "resize")
            for index in samples.indices {
                let outcome: SamplePreparation.Outcome
                (samples[index], outcome) = try preparation.prepare(samples[index])
                outcomes[outcome, default: 0] += 1
                bar.update(index + 1)
            }
            bar.finish()
        }
        do throws(TarError) {
            for (number, members) in samples.enumerated() {
                let size = members.reduce(0) { $0 + 512 + ($1.1.count + 511) / 512 * 512 }
                if writer == nil || inShard >= maxCount || (inShard > 0 && Int(writer!.offset) + size > maxSize) {
                    try writer?.finish()
                    shard += 1
                    inShard = 0
                    let file = pattern.path(shard)
                    if let identity = Self.fileIdentity(file), inputs.contains(identity) {
                        throw TarError(.io, "is one of the input shards (--out must name new files)", archive: file)
                    }
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
        print("wrote \(samples.count) samples into \(shard + 1) shard(s): \(pattern.path(0)) …")
        if let maxSide {
            print("--max-side \(maxSide): \(outcomes[.resized] ?? 0) image(s) resized, \(outcomes[.fits] ?? 0) copied "
                  + "(fit or no image), \(outcomes[.notEncodable] ?? 0) copied (larger, but neither JPEG nor PNG), "
                  + "\(outcomes[.undecodable] ?? 0) copied (do not decode)")
        }
    }

    /// Every sample's tar members, in canonical order: shards' parts as they are, ImageFolder files as members.
    /// - Parameter dataset: The source.
    /// - Returns: One member list per sample.
    /// - Throws: `CommandFailure` naming the first sample or shard that cannot be read.
    static func samples(of dataset: Dataset) throws -> [[(String, [UInt8])]] {
        var samples: [[(String, [UInt8])]] = []
        switch dataset {
        case .webDataset(let shards):
            do throws(LoaderError) {
                for index in shards.shards.indices {
                    var reader = try shards.open(shard: index)
                    while let raw = try reader.nextRaw() {
                        samples.append(raw.parts.map { ($0.member, $0.data) })
                    }
                }
            } catch {
                throw CommandFailure(error.description)
            }
        case .imageFolder:
            try dataset.forEachSample { result in
                switch result {
                case .success(let sample): samples.append(try members(of: sample))
                case .failure(let error): throw CommandFailure(error.description)
                }
                return true
            }
        }
        return samples
    }

    /// The tar members of an ImageFolder sample: the image file's bytes, its label and its class name.
    static func members(of sample: Sample) throws -> [(String, [UInt8])] {
        guard case .encoded(let bytes) = sample.image else {
            throw CommandFailure("sample \(sample.key) has no encoded image")
        }
        let key = stem(sample.key)
        var members: [(String, [UInt8])] = [("\(key).\(imageExtension(sample))", bytes)]
        if let label = sample.label { members.append(("\(key).cls", Array("\(label)".utf8))) }
        var metadata = sample.metadata
        if let className = sample.className { metadata["class"] = className }
        if !metadata.isEmpty {
            do {
                members.append(("\(key).json", [UInt8](try JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys]))))
            } catch {
                throw CommandFailure("sample \(sample.key): its metadata cannot be written as JSON: \(error)")
            }
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

    /// A file's device and inode, or nil when it does not exist (what tells one file under two spellings).
    private static func fileIdentity(_ path: String) -> [UInt64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }

    /// The identities of a shard source's local files (an output shard must not overwrite one of them).
    private static func fileIdentities(of source: Dataset) -> Set<[UInt64]> {
        guard case .webDataset(let dataset) = source else { return [] }
        return Set(dataset.shards.compactMap { fileIdentity($0.hasPrefix("file:") ? String($0.dropFirst(5)) : $0) })
    }
}
