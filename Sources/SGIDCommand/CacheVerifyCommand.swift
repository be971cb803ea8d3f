import ArgumentParsing
import CacheShard

/// `sgid cache verify DIR`: checks every checksum and index entry of every shard; exits 1 listing what is damaged.
enum CacheVerifyCommand: SubCommand {
    static let spec = CommandSpec(name: "cache verify", synopsis: "cache verify DIR", positionals: 1...1)
    static let summary = "check every checksum and index entry; exit 1 listing damage"

    static func run(_ arguments: ParsedArguments) throws {
        let cache = try CacheDirectory(arguments.positionals[0])
        var problems: [String] = []
        var records = 0
        for reader in cache.readers {
            let result = reader.verify()
            records += result.records
            problems += result.problems
            print("\(reader.paths.data): \(result.records) records, " + (result.isClean ? "clean" : "\(result.problems.count) problem(s)"))
        }
        guard problems.isEmpty else {
            for problem in problems { printError("damaged: \(problem)") }
            throw CommandFailure("\(problems.count) problem(s) in \(cache.path)")
        }
        print("verified \(records) records in \(cache.readers.count) shard(s): clean")
    }
}
