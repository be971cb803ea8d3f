import Augment
import Loader

/// The command line: `LoaderBenchmark (loader | bound) ROOT [--mode exact|fast] [--randaugment] [--rounds N]
/// [--threads N] [--batch-size N]`.
struct BenchmarkOptions {
    /// What to measure.
    enum Command: String {
        /// One full epoch through the loader (RandomResizedCrop + flip + normalise to Float32 NCHW), best of rounds.
        case loader
        /// libjpeg-turbo decoding every file at 1/8 scale on all threads, best of rounds.
        case bound
    }

    static let usage = "usage: LoaderBenchmark (loader | bound) ROOT [--mode exact|fast] [--randaugment] [--rounds N] "
        + "[--threads N] [--batch-size N]"

    var command: Command
    var root: String
    var mode: DecodeMode = .exact
    var rounds = 3
    var threads = LoaderConfiguration.defaultThreads
    var batchSize = 64
    /// Whether torchvision's RandAugment (2 ops, magnitude 9, nearest, fill 0) follows the flip.
    var randAugment = false

    /// Parses the arguments (without the program name).
    /// - Parameter arguments: The command, the root and the flags.
    /// - Throws: `BenchmarkFailure` describing the bad argument.
    init(_ arguments: [String]) throws {
        var rest = arguments
        guard rest.count >= 2, let command = Command(rawValue: rest[0]) else { throw BenchmarkFailure(Self.usage) }
        self.command = command
        root = rest[1]
        rest.removeFirst(2)
        while let flag = rest.first {
            if flag == "--randaugment" {
                randAugment = true
                rest.removeFirst()
                continue
            }
            guard rest.count >= 2 else { throw BenchmarkFailure("\(flag) needs a value; \(Self.usage)") }
            let value = rest[1]
            rest.removeFirst(2)
            switch flag {
            case "--mode":
                guard let parsed = DecodeMode(rawValue: value) else { throw BenchmarkFailure("--mode takes exact or fast") }
                mode = parsed
            case "--rounds": rounds = try Self.positive(value, flag)
            case "--threads": threads = try Self.positive(value, flag)
            case "--batch-size": batchSize = try Self.positive(value, flag)
            default: throw BenchmarkFailure("unknown option \(flag); \(Self.usage)")
            }
        }
    }

    private static func positive(_ value: String, _ flag: String) throws -> Int {
        guard let parsed = Int(value), parsed > 0 else { throw BenchmarkFailure("\(flag) takes a positive integer") }
        return parsed
    }
}

/// A benchmark that cannot run: a bad argument, an unreadable set, a failing sample or the wrong decode scale.
struct BenchmarkFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// Creates a failure.
    /// - Parameter description: What went wrong.
    init(_ description: String) { self.description = description }
}
