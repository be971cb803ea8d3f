import ArgumentParsing
import CacheShard
import Foundation
import GenerationCache
import ImageCodec

/// `sgid cache export DIR --out FOLDER [--limit N]`: writes each variant as a PNG named by key and variant, with the
/// record's provenance as JSON beside them. File names are the keys escaped injectively (`SafeFileName`), so two keys
/// never share a file; an existing file is never overwritten (it is counted and reported, and the command fails);
/// damage the shards' readers stepped over is reported too (exit 1).
enum CacheExportCommand: SubCommand {
    static let spec = CommandSpec(
        name: "cache export", synopsis: "cache export DIR --out FOLDER [--limit N]",
        options: [.value("out", help: "folder to write PNGs and provenance JSON into (existing files are not overwritten)"),
                  .value("limit", help: "export at most N records")],
        positionals: 1...1)
    static let summary = "write cached variants as PNG files with their provenance"

    static func run(_ arguments: ParsedArguments) throws {
        guard let out = arguments.value("out") else { throw UsageError("--out FOLDER is required") }
        let limit = try arguments.integer("limit", in: 0...Int.max) ?? Int.max
        let cache = try CacheDirectory(arguments.positionals[0])
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var records = 0
        var written = Written()
        for (reader, entry) in cache.uniqueEntries().prefix(limit) {
            do {
                let record = try reader.record(of: entry)
                let stem = out + "/" + SafeFileName.escape(entry.key)
                for (index, variant) in record.variants.enumerated() {
                    let image = try CacheStore.decode(variant, location: "\(reader.paths.data) at byte \(entry.offset)")
                    try written.create(Data(try PNGEncoder.encode(image)), at: "\(stem)-v\(index).png")
                }
                let about: [String: Any] = [
                    "key": entry.key, "source_digest": entry.sourceDigest.description, "fingerprint": entry.fingerprint,
                    "shard": reader.paths.data, "offset": entry.offset,
                    "provenance": (try? JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8))) ?? record.meta.provenanceJSON,
                    "variants": record.variants.map { ["width": $0.width, "height": $0.height, "channels": $0.channels,
                                                       "codec": $0.codec.description, "seed": $0.seed,
                                                       "score": $0.score.map { Double($0) } as Any] },
                ]
                try written.create(try JSONSerialization.data(withJSONObject: about, options: [.prettyPrinted, .sortedKeys]), at: stem + ".json")
                records += 1
            } catch let error as CacheError {
                throw error.asFailure
            } catch let error as ImageCodecError {
                throw CommandFailure(error.located("\(reader.paths.data) at byte \(entry.offset)").description)
            }
        }
        print("exported \(records) record(s), \(written.files) file(s) to \(out)")
        if !written.refused.isEmpty {
            let refused = written.refused
            for path in refused.prefix(20) { printError("not overwritten: \(path) already exists") }
            throw CommandFailure("\(refused.count) file(s) already existed in \(out) and were not overwritten")
        }
        try cache.finishReadingPastDamage("cache export")
    }

    /// The files an export created, and those it refused because they already existed (an export never overwrites).
    private struct Written {
        /// Files created.
        var files = 0
        /// Paths that already existed.
        var refused: [String] = []

        /// Creates a file, or records its path when one is already there.
        mutating func create(_ bytes: Data, at path: String) throws {
            do {
                try OutputFile.create(bytes, at: path)
                files += 1
            } catch where error.exists {
                refused.append(path)
            }
        }
    }
}
