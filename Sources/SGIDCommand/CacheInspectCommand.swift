import ArgumentParsing
import CacheShard
import Foundation

/// `sgid cache inspect DIR [--json]`: records, variants, bytes, compression ratio, fingerprints, shards and a
/// provenance summary of a cache directory, with the guidance each variant was actually generated with (a range and
/// a histogram under `--guidance-range`) and the records a killed writer left past its last commit.
enum CacheInspectCommand: SubCommand {
    static let spec = CommandSpec(
        name: "cache inspect", synopsis: "cache inspect DIR [--json]",
        options: [.flag("json", help: "print one JSON object instead of text")], positionals: 1...1)
    static let summary = "summarise a cache: records, variants, bytes, compression, fingerprints, provenance"

    static func run(_ arguments: ParsedArguments) throws {
        let cache = try CacheDirectory(arguments.positionals[0])
        var records = 0, variants = 0, duplicates = 0
        var storedBytes: UInt64 = 0, contentBytes: UInt64 = 0
        var fingerprints: [String: Int] = [:], codecs: [String: Int] = [:], sizes: [String: Int] = [:]
        var provenance: [String: [String: Int]] = [:]
        var shards: [[String: Any]] = []
        var guidance = GuidanceSummary()
        var uncommitted = 0
        let unique = Set(cache.uniqueEntries().map { "\($0.reader.paths.data)@\($0.entry.offset)" })
        for reader in cache.readers {
            let fileBytes = (try? FileManager.default.attributesOfItem(atPath: reader.paths.data)[.size] as? UInt64) ?? 0
            let pending = reader.uncommittedRecords()
            uncommitted += pending
            shards.append(["shard": reader.paths.data, "records": reader.index.entries.count, "bytes": fileBytes,
                           "uncommitted_records": pending])
            for entry in reader.index.entries {
                guard unique.contains("\(reader.paths.data)@\(entry.offset)") else {
                    duplicates += 1
                    continue
                }
                let meta: CacheRecordMeta
                do { meta = try reader.meta(of: entry) } catch { throw error.asFailure }
                records += 1
                variants += entry.variantCount
                storedBytes += UInt64(entry.length)
                fingerprints[entry.fingerprint, default: 0] += 1
                for variant in meta.variants {
                    codecs[variant.codec.description, default: 0] += 1
                    sizes["\(variant.width)x\(variant.height)x\(variant.channels)", default: 0] += 1
                    contentBytes += UInt64(variant.codec == .raw ? variant.width * variant.height * variant.channels : 0)
                }
                if let object = try? JSONSerialization.jsonObject(with: Data(meta.provenanceJSON.utf8)) as? [String: Any] {
                    for field in ["model", "revision", "scheduler", "strength", "guidance", "steps"] {
                        if let value = object[field] { provenance[field, default: [:]]["\(value)", default: 0] += 1 }
                    }
                    guidance.add(provenance: object)
                }
            }
        }
        let ratio = storedBytes > 0 && contentBytes > 0 ? Double(contentBytes) / Double(storedBytes) : nil
        if arguments.flag("json") {
            var object: [String: Any] = ["directory": cache.path, "shards": shards, "records": records,
                                         "variants": variants, "stored_bytes": storedBytes, "duplicates": duplicates,
                                         "fingerprints": fingerprints, "codecs": codecs, "variant_sizes": sizes,
                                         "provenance": provenance, "damage": cache.damage, "uncommitted_records": uncommitted]
            if let used = guidance.json { object["guidance_used"] = used }
            if let ratio { object["raw_compression_ratio"] = ratio }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            try cache.finishReadingPastDamage("cache inspect")
            return
        }
        print("cache \(cache.path): \(cache.readers.count) shard(s), \(records) record(s), \(variants) variant(s), "
              + "\(storedBytes) bytes stored" + (duplicates > 0 ? ", \(duplicates) duplicate record(s) ignored" : ""))
        if uncommitted > 0 { print("  " + uncommittedNote(uncommitted).dropFirst(2)) }
        if let ratio { print(String(format: "raw pixels compress %.2fx with zstd (raw-codec variants only)", ratio)) }
        for shard in shards { print("  shard \(shard["shard"]!): \(shard["records"]!) records, \(shard["bytes"]!) bytes") }
        for (fingerprint, count) in fingerprints.sorted(by: { $0.key < $1.key }) { print("  fingerprint \(fingerprint): \(count) records") }
        print("  codecs: " + codecs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print("  variant sizes: " + sizes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for (field, values) in provenance.sorted(by: { $0.key < $1.key }) {
            let name = field == "guidance" ? "guidance (nominal)" : field
            print("  \(name): " + values.sorted { $0.key < $1.key }.prefix(8).map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        }
        if let used = guidance.text { print("  " + used) }
        try cache.finishReadingPastDamage("cache inspect")
    }

    /// `", N intact record(s) written after the last commit (…)"`, or nothing for 0: what `inspect` and `verify` say of
    /// records a killed writer left past its last commit, which readers do not see until a writer commits them.
    /// - Parameter count: The number of such records.
    /// - Returns: The note, starting with `", "`.
    static func uncommittedNote(_ count: Int) -> String {
        count == 0 ? "" : ", \(count) intact record(s) written after the last commit (not read until a writer reopens the shard)"
    }
}
