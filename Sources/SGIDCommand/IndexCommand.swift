import ArgumentParsing
import Foundation
import Loader

/// `sgid index SOURCE`: one JSON line per sample in canonical (unshuffled) order, image or not, as webdataset and
/// torchvision iterate them: key, parts present, whether one is an image, label and class where there is one, source.
enum IndexCommand: SubCommand {
    static let spec = CommandSpec(
        name: "index", synopsis: "index SOURCE [--skip-errors]",
        options: [.flag("skip-errors", help: "report bad samples on stderr and go on (default: stop at the first)")],
        positionals: 1...1)
    static let summary = "list a dataset's samples in canonical order as JSON lines"

    static func run(_ arguments: ParsedArguments) throws {
        let source = try Dataset.open(arguments.positionals[0])
        let classes = source.classNames
        var failures = 0
        try source.forEachListing(resynchronizing: arguments.flag("skip-errors")) { result in
            switch result {
            case .success(let sample):
                var object: [String: Any] = ["key": sample.key, "source": sample.source.description, "parts": sample.parts,
                                             "image": sample.hasImage]
                let className: String? = sample.className ?? sample.label.flatMap { classes.indices.contains($0) ? classes[$0] : nil }
                object["label"] = sample.label.map { $0 as Any } ?? NSNull()
                object["class"] = className.map { $0 as Any } ?? NSNull()
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
                return true
            case .failure(let error):
                guard arguments.flag("skip-errors") else { throw CommandFailure(error.description) }
                failures += 1
                printError("skipped: \(error)")
                return true
            }
        }
        if failures > 0 { printError("\(failures) sample(s) skipped") }
    }
}
