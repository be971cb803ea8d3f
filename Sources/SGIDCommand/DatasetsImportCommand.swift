import ArgumentParsing
import Augment
import Foundation
import IDX
import ImageCodec
import Tar

/// `sgid datasets import fashion-mnist --out DIR [--split train|test] [--range A:B] [--per-class N --seed S]
/// [--format imagefolder|shards] [--source DIR]`: Fashion-MNIST from Debian's `dataset-fashion-mnist` (IDX files) as a
/// class-named ImageFolder of PNGs or as WebDataset shards (`.png`, `.cls` with the Fashion-MNIST label, `.json` with
/// the class name, split and index), plus `classes.txt`.
enum DatasetsImportCommand: SubCommand {
    static let spec = CommandSpec(
        name: "datasets import",
        synopsis: "datasets import fashion-mnist --out DIR [--split train|test] [--range A:B] [--per-class N --seed S] "
            + "[--format imagefolder|shards] [--source DIR]",
        options: [
            .value("out", help: "the folder to write"),
            .value("split", help: "train (60,000 images, default) or test (10,000)"),
            .value("range", help: "A:B, the images A ..< B of the split (default all)"),
            .value("per-class", help: "take N images of each class from the range, chosen with --seed (default all)"),
            .value("seed", help: "seed of the --per-class choice (default 0)"),
            .value("format", help: "imagefolder (default: CLASS/SPLIT_INDEX.png) or shards (WebDataset, 1,000 samples each)"),
            .value("source", help: "the IDX folder (default $SGID_FASHION_MNIST or /usr/share/datasets/fashion-mnist)"),
        ],
        positionals: 1...1)
    static let summary = "import a dataset installed from Debian (fashion-mnist) as an ImageFolder or WebDataset shards"

    /// Fashion-MNIST's class names, by label.
    static let classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    static let defaultSource = "/usr/share/datasets/fashion-mnist"

    /// An ImageFolder directory name for a class name (`/` cannot be in one: `T-shirt/top` → `T-shirt_top`).
    static func directoryName(_ name: String) -> String { name.replacingOccurrences(of: "/", with: "_") }

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals[0] == "fashion-mnist" else {
            throw UsageError("unknown dataset '\(arguments.positionals[0])' (known: fashion-mnist)")
        }
        guard let out = arguments.value("out") else { throw UsageError("--out DIR is required") }
        let split = arguments.value("split") ?? "train"
        guard ["train", "test"].contains(split) else { throw UsageError("--split must be train or test, got '\(split)'") }
        let format = arguments.value("format") ?? "imagefolder"
        guard ["imagefolder", "shards"].contains(format) else { throw UsageError("--format must be imagefolder or shards, got '\(format)'") }
        let source = arguments.value("source") ?? ProcessInfo.processInfo.environment["SGID_FASHION_MNIST"] ?? defaultSource
        let prefix = split == "train" ? "train" : "t10k"
        let imagesPath = "\(source)/\(prefix)-images-idx3-ubyte.gz", labelsPath = "\(source)/\(prefix)-labels-idx1-ubyte.gz"
        guard FileManager.default.fileExists(atPath: imagesPath), FileManager.default.fileExists(atPath: labelsPath) else {
            throw CommandFailure("Fashion-MNIST is not installed at \(source) (no \(prefix)-images-idx3-ubyte.gz): install Debian's "
                                 + "package dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist; scripts/setup.sh does), "
                                 + "or pass --source DIR")
        }
        let images = try IDXReader.read(path: imagesPath), labels = try IDXReader.read(path: labelsPath)
        guard images.shape.count == 3, labels.shape.count == 1, images.count == labels.count,
              labels.values.allSatisfy({ Int($0) < classes.count }) else {
            throw CommandFailure("\(imagesPath) and \(labelsPath) are not \(classes.count)-class image and label files of equal length "
                                 + "(shapes \(images.shape), \(labels.shape))")
        }
        var range = 0..<images.count
        if let text = arguments.value("range") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 2, let lower = parts[0], let upper = parts[1], 0 <= lower, lower < upper, upper <= images.count else {
                throw UsageError("--range expects A:B with 0 ≤ A < B ≤ \(images.count), got '\(text)'")
            }
            range = lower..<upper
        }
        var chosen = Array(range)
        if let perClass = try arguments.integer("per-class", in: 1...100_000) {
            chosen = try Self.perClass(chosen, labels: labels, count: perClass,
                                       seed: UInt64(try arguments.integer("seed", in: 0...Int.max) ?? 0))
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try OutputFile.replace(Array((classes.joined(separator: "\n") + "\n").utf8), at: out + "/classes.txt")
        let (height, width) = (images.shape[1], images.shape[2])
        let progress = ProgressBar(total: chosen.count, label: "import")
        func png(_ index: Int) throws -> [UInt8] {
            try PNGEncoder.encode(Image(width: width, height: height, channels: 1, pixels: Array(images.item(index))))
        }
        let key = { (index: Int) in "\(split)_" + String(format: "%05d", index) }
        if format == "imagefolder" {
            for name in classes {
                try FileManager.default.createDirectory(atPath: out + "/" + directoryName(name), withIntermediateDirectories: true)
            }
            for (number, index) in chosen.enumerated() {
                let path = "\(out)/\(directoryName(classes[Int(labels.values[index])]))/\(key(index)).png"
                try OutputFile.replace(try png(index), at: path)
                progress.update(number + 1)
            }
        } else {
            var writer: TarWriter<FileByteSink>?
            var shard = -1
            for (number, index) in chosen.enumerated() {
                if number % 1000 == 0 {
                    try writer?.finish()
                    shard += 1
                    writer = TarWriter(sink: try FileByteSink(path: out + "/" + String(format: "shard-%06d.tar", shard)))
                }
                let label = Int(labels.values[index])
                let metadata = try JSONSerialization.data(withJSONObject: ["class": classes[label], "index": index, "split": split] as [String: Any],
                                                          options: [.sortedKeys, .withoutEscapingSlashes])
                try writer!.addFile(key(index) + ".png", contents: try png(index))
                try writer!.addFile(key(index) + ".cls", contents: Array(String(label).utf8))
                try writer!.addFile(key(index) + ".json", contents: [UInt8](metadata))
                progress.update(number + 1)
            }
            try writer?.finish()
            print("shards: \(out)/shard-{000000..\(String(format: "%06d", max(0, shard)))}.tar")
        }
        progress.finish()
        print("imported \(chosen.count) \(split) images of Fashion-MNIST into \(out) (\(format))")
    }

    /// `count` images of each class from `indices`: the indices shuffled by the seed, each class's first `count`
    /// taken, then sorted back into file order.
    static func perClass(_ indices: [Int], labels: IDXTensor, count: Int, seed: UInt64) throws -> [Int] {
        var rng = SampleRNG(seed: seed, epoch: 0, purpose: 101)
        var shuffled = indices
        shuffled.shuffle(using: &rng)
        var taken = [Int](repeating: 0, count: classes.count)
        var chosen: [Int] = []
        for index in shuffled {
            let label = Int(labels.values[index])
            guard taken[label] < count else { continue }
            taken[label] += 1
            chosen.append(index)
        }
        guard taken.allSatisfy({ $0 == count }) else {
            throw CommandFailure("the range holds fewer than \(count) images of some class (\(taken) taken)")
        }
        return chosen.sorted()
    }
}
