// Per-operation throughput of SGIDKit's Pillow-exact image operations and of its timm RandAugment, one thread, for
// comparison with Benchmarks/peers/pillow_ops.py and timm_randaugment.py. Run by scripts/bench-augment.sh; see
// Benchmarks/README.md ("Augmentation operations").
//
// Usage: AugmentBenchmark [--rounds N] [--ops a,b,…] [--randaugment SPEC | --no-randaugment] PNG...
// Decodes every file first, then per operation prints
//   op=NAME images=N best_s=S img_per_s=R checksum=C
// (the Python peers' format; checksum = sum of every output byte of an untimed pass), and last the pipeline SPEC
// (default `randaugment(config=rand-m9-n2-mstd0.5, fill=124;116;104)`; every image 4 times per pass) as op=randaugment,
// or `op=randaugment pending=REASON` when the pipeline cannot be built.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Augment

let usage = "usage: AugmentBenchmark [--rounds N] [--ops a,b,...] [--randaugment SPEC | --no-randaugment] PNG..."

/// Prints `message` to standard error and exits with status 1.
/// - Parameter message: What went wrong.
func fail(_ message: String) -> Never {
    var text = "AugmentBenchmark: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(1)
}

var rounds = 5
var selected = Operation.all.map(\.name)
var randAugment: String? = "randaugment(config=rand-m9-n2-mstd0.5, fill=124;116;104)"
var arguments = Array(CommandLine.arguments.dropFirst())
while let flag = arguments.first, flag.hasPrefix("--") {
    if flag == "--no-randaugment" {
        randAugment = nil
        arguments.removeFirst()
        continue
    }
    guard arguments.count >= 2 else { fail("\(flag) needs a value; \(usage)") }
    let value = arguments[1]
    switch flag {
    case "--rounds":
        guard let parsed = Int(value), parsed > 0 else { fail("--rounds takes a positive integer") }
        rounds = parsed
    case "--ops":
        selected = value.split(separator: ",").map(String.init)
        let known = Set(Operation.all.map(\.name))
        if let unknown = selected.first(where: { !known.contains($0) }) { fail("unknown op \(unknown)") }
    case "--randaugment":
        randAugment = value
    default:
        fail("unknown option \(flag); \(usage)")
    }
    arguments.removeFirst(2)
}
guard !arguments.isEmpty else { fail(usage) }

/// `op=… images=… best_s=… img_per_s=… checksum=…`.
func line(_ name: String, _ result: OperationBenchmark) -> String {
    "op=\(name) images=\(result.images) best_s=\(fixed(result.bestSeconds, decimals: 6)) "
        + "img_per_s=\(fixed(Double(result.images) / result.bestSeconds, decimals: 1)) checksum=\(result.checksum)"
}

do {
    let set = try ImageSet(paths: arguments)
    guard !set.images.isEmpty else { fail("no images") }
    for operation in Operation.all where selected.contains(operation.name) {
        let images = operation.largeOnly ? set.largeImages : set.images
        guard !images.isEmpty else { fail("\(operation.name) needs 500x375 images") }
        print(line(operation.name, OperationBenchmark(operation, images: images, rounds: rounds)))
    }
    if let spec = randAugment {
        do {
            let pipeline = try PipelineSpec.parse(spec)
            print(line("randaugment", try OperationBenchmark(pipeline: pipeline, images: set.images, copies: 4, rounds: rounds)))
        } catch {
            print("op=randaugment pending=\"\(error)\"")
        }
    }
} catch {
    fail("\(error)")
}

/// Fixed-point text for a non-negative number (the standard library has no `%.Nf`).
/// - Parameters:
///   - value: The number.
///   - decimals: Digits after the point.
/// - Returns: The text.
func fixed(_ value: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value * scale).rounded()
    guard scaled.isFinite, scaled < 9e18 else { return "\(value)" }
    let whole = Int(scaled)
    let integer = whole / Int(scale), fraction = whole % Int(scale)
    guard decimals > 0 else { return "\(integer)" }
    let digits = String(fraction)
    return "\(integer).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
}
