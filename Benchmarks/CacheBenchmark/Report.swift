/// The markdown tables the benchmark prints.
enum Report {
    /// The fetch comparison and the raw fetch's breakdown.
    static func fetch(_ result: FetchBenchmark, origin: String, rounds: Int, cycles: Int) {
        let count = Double(result.imageCount)
        let jpeg = result.rows.first { $0.name.hasPrefix("JPEG q95 decode") }?.bestSeconds ?? .nan
        print("### Fetch one 512×512 RGB variant, decoded to pixels (one thread)\n")
        print("| path | img/s | µs / image | vs JPEG q95 decode (memory) | minor faults / image |")
        print("|---|---:|---:|---:|---:|")
        for row in result.rows {
            print("| \(row.name) | \(fixed(count / row.bestSeconds, decimals: 0)) | "
                  + "\(fixed(row.bestSeconds / count * 1e6, decimals: 1)) | \(fixed(jpeg / row.bestSeconds, decimals: 2))× | "
                  + "\(fixed(row.faultsPerImage, decimals: 1)) |")
        }
        print("\n\(origin); best pass of \(cycles) cycles × \(rounds) passes over \(result.imageCount) images per path; "
              + "page cache warm; cache fetch = `CacheStore.lookup` + `CacheStore.image(_:at:context:)` with one reused "
              + "`ZstdFrame.DecompressionContext`.")
        if let raw = result.rows.first(where: { $0.name.contains("raw") }) {
            let ratio = jpeg / raw.bestSeconds
            print("Target raw+zstd fetch ≥ 2× JPEG q95 decode: \(ratio >= 2 ? "met" : "NOT met") "
                  + "(\(fixed(ratio, decimals: 2))×).")
            // Machine-readable line for scripts/bench-all.sh: benchmark, ours, peer, ratio, target, met.
            print(["RESULT", "cache fetch (raw + zstd) vs JPEG q95 decode", "\(fixed(count / raw.bestSeconds, decimals: 0)) img/s",
                   "\(fixed(count / jpeg, decimals: 0)) img/s", "\(fixed(ratio, decimals: 2))x", ">= 2x", ratio >= 2 ? "yes" : "no"]
                .joined(separator: "\t"))
        }
        print("\n### Where the raw fetch's time goes (parts timed separately, same shard, same images)\n")
        print("| part | µs / image | minor faults / image |")
        print("|---|---:|---:|")
        for row in result.breakdown {
            print("| \(row.name) | \(fixed(row.bestSeconds / count * 1e6, decimals: 1)) | \(fixed(row.faultsPerImage, decimals: 1)) |")
        }
        print()
    }

    /// The raw fetch at other zstd levels.
    static func levels(_ sweep: LevelSweep, images: Int, jpegSeconds: Double) {
        let raw = Double(BenchImages.side * BenchImages.side * 3)
        print("### Raw variants at other zstd levels (`CacheShardWriter.Options.rawCompressionLevel`)\n")
        print("| level | data file per variant (B) | vs raw pixels | cache fetch img/s | µs / image | vs JPEG q95 decode (memory) |")
        print("|---:|---:|---:|---:|---:|---:|")
        for row in sweep.rows {
            print("| \(row.level)\(row.level == -1 ? " (default)" : "") | \(fixed(row.bytesPerVariant, decimals: 0)) | "
                  + "\(fixed(100 * row.bytesPerVariant / raw, decimals: 1))% | \(fixed(Double(images) / row.bestSeconds, decimals: 0)) | "
                  + "\(fixed(row.bestSeconds / Double(images) * 1e6, decimals: 1)) | \(fixed(jpegSeconds / row.bestSeconds, decimals: 2))× |")
        }
        print()
    }

    /// Bytes on disk per codec.
    static func disk(_ usage: DiskUsage) {
        let raw = Double(BenchImages.side * BenchImages.side * 3)
        print("### Bytes on disk per 512×512 variant (raw pixels: \(grouped(Int(raw))) B)\n")
        print("| stored as | payload before zstd (B) | variant frame (B) | data file per variant, K=1 (B) | "
              + "vs raw pixels | data file per variant, K=4 (B) | vs raw pixels | index per record (B) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for row in usage.rows {
            print("| \(row.codec.label) | \(fixed(row.payload, decimals: 0)) | \(fixed(row.frame, decimals: 0)) | "
                  + "\(fixed(row.perVariantK1, decimals: 0)) | \(fixed(100 * row.perVariantK1 / raw, decimals: 1))% | "
                  + "\(fixed(row.perVariantK4, decimals: 0)) | \(fixed(100 * row.perVariantK4 / raw, decimals: 1))% | "
                  + "\(fixed(row.indexPerRecord, decimals: 0)) |")
        }
        print()
    }

    /// Index build, memory and lookups.
    static func index(_ result: IndexBenchmark) {
        let records = Double(result.records)
        let perRecord = { (bytes: Int) in fixed(Double(bytes) / records, decimals: 1) }
        let stats = result.statistics
        print("### Index of \(grouped(result.records)) synthetic records in \(result.shards) shards\n")
        print("| measure | value |")
        print("|---|---:|")
        print("| write the shards (`CacheShardWriter`, 1×1 raw variant per record, one commit per shard, no fsync) | "
              + "\(fixed(result.writeSeconds, decimals: 1)) s (\(fixed(records / result.writeSeconds, decimals: 0)) records/s) |")
        print("| `CacheStore(directory:)` build | \(fixed(result.buildSeconds, decimals: 2)) s "
              + "(\(fixed(records / result.buildSeconds, decimals: 0)) records/s) |")
        print("| … of which opening the \(result.shards) `CacheShardReader`s (index files parsed into `[IndexEntry]`) "
              + "| \(fixed(result.readersSeconds, decimals: 2)) s |")
        print("| records / duplicates / fingerprints | \(grouped(stats.records)) / \(stats.duplicates) / \(stats.fingerprints) |")
        print("| `statistics.indexBytes` per record | \(perRecord(stats.indexBytes)) B |")
        print("| … without key bytes (\(perRecord(result.keyBytes)) B of keys per record) | "
              + "\(perRecord(stats.indexBytes - result.keyBytes)) B |")
        print("| RSS growth per record (after `malloc_trim`) | \(perRecord(result.residentGrowth)) B |")
        print("| … of which the readers' `[IndexEntry]` (released by `CacheStore` once merged; measured by opening them again) | "
              + "\(perRecord(result.readersResident)) B |")
        print("| peak RSS growth during the build, per record | \(perRecord(result.peakGrowth)) B |")
        print("| lookups/s, hits (random order) | \(fixed(result.hitsPerSecond, decimals: 0)) |")
        print("| lookups/s, misses (absent keys) | \(fixed(result.missesPerSecond, decimals: 0)) |")
        let compact = Double(stats.indexBytes - result.keyBytes) / records
        let process = Double(result.residentGrowth - result.keyBytes) / records
        print("\nTarget index memory ≤ 64 B per record plus keys: `indexBytes` \(compact <= 64 ? "met" : "NOT met") "
              + "(\(fixed(compact, decimals: 1)) B); whole store in the process \(process <= 64 ? "met" : "NOT met") "
              + "(\(fixed(process, decimals: 1)) B + keys).")
        print(["RESULT", "cache index bytes per record (plus keys) vs budget", "\(fixed(compact, decimals: 1)) B", "64 B",
               "\(fixed(compact / 64, decimals: 2))x", "<= 1x", compact <= 64 ? "yes" : "no"].joined(separator: "\t"))
        print()
    }
}
