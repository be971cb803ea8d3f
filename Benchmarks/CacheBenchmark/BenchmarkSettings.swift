import Foundation

/// Command-line settings.
struct BenchmarkSettings {
    var rounds = 5
    var cycles = 3
    var images = 50
    var imageDirectory = (ProcessInfo.processInfo.environment["SGID_CACHE"]
        ?? (NSHomeDirectory() + "/.cache/sgidkit")) + "/bench-images"
    var records = 1_000_000
    var shards = 8
    var lookups = 200_000
    var work: String?
    var profilePasses: Int?
    var fetch = true
    var index = true

    init() {}

    /// Parses the arguments.
    /// - Throws: `BenchmarkFailure` for unknown flags or bad values.
    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--skip-fetch": fetch = false
            case "--skip-index": index = false
            default:
                guard let value = rest.popFirst() else { throw BenchmarkFailure("\(flag) needs a value") }
                let number = Int(value).flatMap { $0 > 0 ? $0 : nil }
                switch (flag, number) {
                case ("--rounds", let parsed?): rounds = parsed
                case ("--cycles", let parsed?): cycles = parsed
                case ("--images", let parsed?): images = parsed
                case ("--records", let parsed?): records = parsed
                case ("--shards", let parsed?): shards = parsed
                case ("--lookups", let parsed?): lookups = parsed
                case ("--profile", let parsed?): profilePasses = parsed
                case ("--image-dir", _): imageDirectory = value
                case ("--work", _): work = value
                default: throw BenchmarkFailure("bad option \(flag) \(value)")
                }
            }
        }
    }
}

/// Runs the selected benchmarks in a fresh work folder (removed afterwards unless `--work` named it).
/// - Parameter settings: What to run.
/// - Throws: The first failure.
func runBenchmarks(_ settings: BenchmarkSettings) throws {
    let work = settings.work ?? NSTemporaryDirectory() + "cachebench-\(getpid())"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { if settings.work == nil { try? FileManager.default.removeItem(atPath: work) } }
    if let passes = settings.profilePasses {
        let images = try BenchImages(directory: settings.imageDirectory, count: settings.images)
        try ProfileRun.run(try CacheFixture(images: images.images, directory: work + "/fetch"), passes: passes)
        return
    }
    if settings.fetch {
        let images = try BenchImages(directory: settings.imageDirectory, count: settings.images)
        let fixture = try CacheFixture(images: images.images, directory: work + "/fetch")
        let result = try FetchBenchmark(fixture: fixture, rounds: settings.rounds, cycles: settings.cycles)
        Report.fetch(result, origin: images.origin, rounds: settings.rounds, cycles: settings.cycles)
        Report.disk(try DiskUsage(fixture: fixture, directory: work + "/fetch"))
        let jpeg = result.rows.first { $0.name.hasPrefix("JPEG q95 decode") }?.bestSeconds ?? .nan
        Report.levels(try LevelSweep(fixture: fixture, directory: work + "/fetch", rounds: settings.rounds, cycles: settings.cycles),
                      images: fixture.images.count, jpegSeconds: jpeg)
    }
    if settings.index {
        Report.index(try IndexBenchmark(directory: work + "/index", records: settings.records, shards: settings.shards,
                                        lookups: settings.lookups, rounds: settings.rounds))
    }
}
