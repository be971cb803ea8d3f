import Foundation
import TestSupport

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
