import ArgumentParsing
import CacheShard

/// `sgid cache write-synthetic DIR --records N …`: appends deterministic synthetic records to a shard, skipping those
/// already present. For crash tests (kill it at any moment, run it again), benchmarks and demos without a generator.
enum CacheWriteSyntheticCommand: SubCommand {
    static let spec = CommandSpec(
        name: "cache write-synthetic",
        synopsis: "cache write-synthetic DIR --records N [--variants K] [--size WxH] [--shard NAME] [--commit-every N] [--sync always|commit|never]",
        options: [
            .value("records", help: "records 0 ..< N must be present when it finishes"),
            .value("variants", help: "variants per record (default 3)"),
            .value("size", help: "variant size (default 64x64)"),
            .value("shard", help: "shard name inside DIR (default synthetic)"),
            .value("commit-every", help: "records per commit group (default 16)"),
            .value("sync", help: "fsync policy (default commit)"),
        ],
        positionals: 1...1)
    static let summary = "append deterministic synthetic records (tests, benchmarks)"

    static func run(_ arguments: ParsedArguments) throws {
        guard let count = try arguments.integer("records", in: 0...100_000_000) else { throw UsageError("--records N is required") }
        let variants = try arguments.integer("variants", in: 1...CacheFormat.maxVariants) ?? 3
        let size = try arguments.value("size", as: GeometryArguments.sizeExpectation, GeometryArguments.size) ?? .init(width: 64, height: 64)
        let group = try arguments.integer("commit-every", in: 1...1_000_000) ?? 16
        let sync = try arguments.value("sync", as: "always, commit or never") { CacheShardWriter.SyncPolicy(rawValue: $0) } ?? .commit
        let stem = arguments.positionals[0] + "/" + (arguments.value("shard") ?? "synthetic")
        do throws(CacheError) {
            let writer = try CacheShardWriter(path: stem, options: .init(commitEveryRecords: group, sync: sync))
            let recovery = writer.recovery
            print("opened \(writer.paths.data): \(recovery.committedRecords) committed, \(recovery.recoveredRecords) recovered, "
                  + "\(recovery.damaged.count) damaged stretch(es) stepped over, \(recovery.truncatedBytes) bytes of unfinished tail removed")
            let present = Set(writer.allEntries.map(\.key))
            var appended = 0
            for index in 0..<count where !present.contains(SyntheticRecords.key(index)) {
                try writer.append(SyntheticRecords.record(index, variants: variants, width: size.width, height: size.height))
                appended += 1
            }
            try writer.close()
            print("appended \(appended), already present \(count - appended)")
        } catch {
            throw error.asFailure
        }
    }
}
