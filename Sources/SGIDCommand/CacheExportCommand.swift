import ArgumentParsing
import CacheShard
import Foundation
import GenerationCache
import ImageCodec

/// `sgid cache export DIR --out FOLDER [--limit N]`: writes each variant as a PNG named by key and variant,
/// with the record's provenance as JSON beside them.
enum CacheExportCommand: SubCommand {
    static let spec = CommandSpec(
        name: "cache export", synopsis: "cache export DIR --out FOLDER [--limit N]",
        options: [.value("out", help: "folder to write PNGs and provenance JSON into"),
                  .value("limit", help: "export at most N records")],
        positionals: 1...1)
    static let summary = "write cached variants as PNG files with their provenance"

    /// A file-name-safe form of a key: `/` becomes `__`, other unsafe characters `_`.
    static func fileName(_ key: String) -> String {
        key.replacingOccurrences(of: "/", with: "__").map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" }
            .reduce(into: "") { $0.append($1) }
    }

    static func run(_ arguments: ParsedArguments) throws {
        guard let out = arguments.value("out") else { throw UsageError("--out FOLDER is required") }
        let limit = try arguments.integer("limit", in: 0...Int.max) ?? Int.max
        let cache = try CacheDirectory(arguments.positionals[0])
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var records = 0, files = 0
        for (reader, entry) in cache.uniqueEntries().prefix(limit) {
            do {
                let record = try reader.record(of: entry)
                let stem = out + "/" + fileName(entry.key)
                for (index, variant) in record.variants.enumerated() {
                    let image = try CacheStore.decode(variant, location: "\(reader.paths.data) at byte \(entry.offset)")
                    try Data(PNGEncoder.encode(image)).write(to: URL(fileURLWithPath: "\(stem)-v\(index).png"))
                    files += 1
                }
                let about: [String: Any] = [
                    "key": entry.key, "source_digest": entry.sourceDigest.description, "fingerprint": entry.fingerprint,
                    "shard": reader.paths.data, "offset": entry.offset,
                    "provenance": (try? JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8))) ?? record.meta.provenanceJSON,
                    "variants": record.variants.map { ["width": $0.width, "height": $0.height, "channels": $0.channels,
                                                       "codec": $0.codec.description, "seed": $0.seed,
                                                       "score": $0.score.map { Double($0) } as Any] },
                ]
                try JSONSerialization.data(withJSONObject: about, options: [.prettyPrinted, .sortedKeys])
                    .write(to: URL(fileURLWithPath: stem + ".json"))
                records += 1
            } catch let error as CacheError {
                throw error.asFailure
            } catch let error as ImageCodecError {
                throw CommandFailure(error.located("\(reader.paths.data) at byte \(entry.offset)").description)
            }
        }
        print("exported \(records) record(s), \(files) PNG file(s) to \(out)")
    }
}
