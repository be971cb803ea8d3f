import Foundation

/// A tiny deterministic generator for fuzz tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How many fuzz iterations to run: `SGID_FUZZ_ITERATIONS` when set (longer runs on demand), else a quick default.
enum FuzzBudget {
    static func iterations(default quick: Int) -> Int {
        ProcessInfo.processInfo.environment["SGID_FUZZ_ITERATIONS"].flatMap(Int.init) ?? quick
    }
}

/// Byte-level mutations in the style of a fuzzer: flips, overwrites with interesting values, truncation, insertion,
/// deletion, and block duplication.
enum Mutator {
    static func mutate(_ input: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            case 1: bytes[position] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE].randomElement(using: &generator)!
            case 2: bytes.removeSubrange(position...)
            case 3: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: position)
            case 4: bytes.remove(at: position)
            default:
                let length = min(Int.random(in: 1...64, using: &generator), bytes.count - position)
                bytes.insert(contentsOf: bytes[position..<position + length], at: position)
            }
        }
        return bytes
    }
}
