#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
/// - Parameter value: The result to consume.
@_optimize(none)
func blackHole<T>(_ value: T) {}

/// Seconds in a `Duration`.
/// - Parameter duration: The duration.
/// - Returns: It in seconds.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// The process's peak resident set so far (`getrusage(RUSAGE_SELF).ru_maxrss`), in MiB.
/// - Returns: The peak RSS in MiB.
func peakResidentMiB() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1024 / 1024  // bytes on Darwin
    #endif
}

/// The process's CPU time so far (user + system, all threads), in seconds.
/// - Returns: The CPU seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
    return value(usage.ru_utime) + value(usage.ru_stime)
}

/// One result as a JSON line, in the peers' format (`Benchmarks/peers/*.py`).
/// - Parameters:
///   - peer: The measured program (`ours-exact`, `ours-fast`, `bound-1/8`).
///   - images: Images per pass.
///   - bestSeconds: The fastest pass.
///   - cpuMillisecondsPerImage: CPU time (all threads, all passes) per image processed.
///   - threads: Threads used.
///   - checksum: The loader's epoch-0 checksum, if any.
/// - Returns: `{"peer": …, "img_per_s": …, "seconds": …, "images": …, "cpu_ms_per_img": …, "peak_rss_mb": …,
///   "threads": …}`, plus `"checksum"` when given.
func jsonLine(peer: String, images: Int, bestSeconds: Double, cpuMillisecondsPerImage: Double, threads: Int,
              checksum: Double? = nil) -> String {
    "{\"peer\": \"\(peer)\", \"img_per_s\": \(Double(images) / bestSeconds), \"seconds\": \(bestSeconds), "
        + "\"images\": \(images), \"cpu_ms_per_img\": \(cpuMillisecondsPerImage), "
        + "\"peak_rss_mb\": \(peakResidentMiB()), \"threads\": \(threads)"
        + (checksum.map { ", \"checksum\": \($0)" } ?? "") + "}"
}
