import ArgumentParsing
import CacheShard

/// `sgid cache verify DIR`: checks every checksum and index entry of every shard; exits 1 listing what is damaged.
/// It counts committed records as `cache inspect` does (what readers see) and names intact records written after the
/// last commit separately.
enum CacheVerifyCommand: SubCommand {
    static let spec = CommandSpec(name: "cache verify", synopsis: "cache verify DIR", positionals: 1...1)
    static let summary = "check every checksum and index entry; exit 1 listing damage"

    static func run(_ arguments: ParsedArguments) throws {
        let cache = try CacheDirectory(arguments.positionals[0])
        var problems: [String] = []
        var records = 0, uncommitted = 0
        for reader in cache.readers {
            let result = reader.verify()
            records += result.committed
            uncommitted += result.records - result.committed
            problems += result.problems
            print("\(reader.paths.data): \(result.committed) committed records"
                  + CacheInspectCommand.uncommittedNote(result.records - result.committed) + ", "
                  + (result.isClean ? "clean" : "\(result.problems.count) problem(s)"))
        }
        guard problems.isEmpty else {
            for problem in problems { printError("damaged: \(problem)") }
            throw CommandFailure("\(problems.count) problem(s) in \(cache.path)")
        }
        print("verified \(records) committed records" + CacheInspectCommand.uncommittedNote(uncommitted)
              + " in \(cache.readers.count) shard(s): clean")
    }
}
