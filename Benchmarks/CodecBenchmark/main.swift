// Decode throughput of SGIDKit's JPEG decoder, one thread, for comparison with Benchmarks/c/jpeg_baseline.c.
//
// Usage: CodecBenchmark [--rounds N] [--scales 1,2,4,8] FILE...
// Loads every file into memory first, then for each scale decodes all files N times through
// `ImageDecoder.decodeWithGeometry` (RGB, scale forced through `minimumSize`) and prints
//   scale=D images=N best_s=S img_per_s=R checksum=C
// in the C program's format; checksum is the sum of every output byte from an untimed pass.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let usage = "usage: CodecBenchmark [--rounds N] [--scales 1,2,4,8] FILE..."

/// Prints `message` to standard error and exits with status 1.
/// - Parameter message: What went wrong.
func fail(_ message: String) -> Never {
    var text = "CodecBenchmark: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(1)
}

var rounds = 5
var scales = [1, 2, 4, 8]
var arguments = Array(CommandLine.arguments.dropFirst())
while let flag = arguments.first, flag.hasPrefix("--") {
    guard arguments.count >= 2 else { fail("\(flag) needs a value; \(usage)") }
    let value = arguments[1]
    switch flag {
    case "--rounds":
        guard let parsed = Int(value), parsed > 0 else { fail("--rounds takes a positive integer") }
        rounds = parsed
    case "--scales":
        scales = value.split(separator: ",").compactMap { Int($0) }
        guard !scales.isEmpty, scales.allSatisfy({ [1, 2, 4, 8].contains($0) }) else {
            fail("--scales takes a list of 1, 2, 4, 8")
        }
    default:
        fail("unknown option \(flag); \(usage)")
    }
    arguments.removeFirst(2)
}
guard !arguments.isEmpty else { fail(usage) }

do {
    let set = try ImageSet(paths: arguments)
    for denominator in scales {
        let result = try DecodeBenchmark(set: set, denominator: denominator, rounds: rounds)
        let rate = result.imagesPerSecond(imageCount: set.files.count)
        print("scale=\(denominator) images=\(set.files.count) best_s=\(fixed(result.bestSeconds, decimals: 6)) "
              + "img_per_s=\(fixed(rate, decimals: 1)) checksum=\(result.checksum)")
    }
} catch {
    fail("\(error)")
}

/// Fixed-point text for a non-negative number (the standard library has no `%.Nf`).
/// - Parameters:
///   - value: The number.
///   - decimals: Digits after the point.
/// - Returns: e.g. `"1631.1"` for `fixed(1631.14, decimals: 1)`.
func fixed(_ value: Double, decimals: Int) -> String {
    var unit = 1
    for _ in 0..<decimals { unit *= 10 }
    let scaled = Int((value * Double(unit)).rounded())
    let fraction = String(scaled % unit)
    let padded = String(repeating: "0", count: decimals - fraction.count) + fraction
    return decimals == 0 ? "\(scaled / unit)" : "\(scaled / unit).\(padded)"
}
