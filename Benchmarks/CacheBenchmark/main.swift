// Generation-cache benchmark (issue 5): fetching a cached 512×512 variant (decoded to pixels) vs decoding the same
// image from JPEG q95 and PNG; bytes on disk per codec; index build time, memory and lookups for 1M records.
//
// Usage: CacheBenchmark [--rounds N] [--cycles N] [--images N] [--image-dir DIR] [--records N] [--shards N]
//                       [--lookups N] [--work DIR] [--skip-fetch] [--skip-index] [--profile N]
// Prints markdown tables. The timing loops live in FetchBenchmark/IndexBenchmark, not here (top-level code is
// main-actor isolated).
#if canImport(Glibc)
import Glibc
#endif
import Foundation

let usage = "usage: CacheBenchmark [--rounds N] [--cycles N] [--images N] [--image-dir DIR] [--records N] [--shards N] "
    + "[--lookups N] [--work DIR] [--skip-fetch] [--skip-index] [--profile N]"

/// Prints `message` to standard error and exits with status 1.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("CacheBenchmark: \(message)\n".utf8))
    exit(1)
}

var settings = BenchmarkSettings()
do {
    settings = try BenchmarkSettings(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error); \(usage)")
}
do {
    try runBenchmarks(settings)
} catch {
    fail("\(error)")
}
