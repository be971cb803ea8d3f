import Diffusion
import Foundation
import Testing

/// The native runtime's noise: Philox4x32-10 against the Random123 known answers, and normals that look normal and
/// do not depend on how they are requested.
@Suite("Philox noise")
struct PhiloxNoiseTests {
    @Test func philoxMatchesTheKnownAnswers() {
        // Random123's kat_vectors for philox4x32_10.
        let cases: [((UInt32, UInt32, UInt32, UInt32), (UInt32, UInt32), (UInt32, UInt32, UInt32, UInt32))] = [
            ((0, 0, 0, 0), (0, 0), (0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
            ((.max, .max, .max, .max), (.max, .max), (0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)),
            ((0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), (0xA409_3822, 0x299F_31D0),
             (0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1)),
        ]
        for (counter, key, expected) in cases {
            let got = PhiloxNoise.block(counter: counter, key: key)
            #expect(got == expected, "philox(\(counter), \(key)) = \(got)")
        }
    }

    @Test func normalsAreStandardAndIndependentOfHowTheyAreRequested() {
        let count = 200_000
        var values = [Float](repeating: 0, count: count)
        PhiloxNoise(seed: 42).fill(stream: 3, &values, count: count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(count)
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.02, "mean \(mean), variance \(variance)")
        let tail = values.filter { abs($0) > 3 }.count
        #expect((400...700).contains(tail), "\(tail) values beyond 3σ (expected ≈ 540)")
        var prefix = [Float](repeating: 0, count: 1001)
        PhiloxNoise(seed: 42).fill(stream: 3, &prefix, count: 1001)
        #expect(Array(values.prefix(1001)) == prefix)
        var other = [Float](repeating: 0, count: 1000)
        PhiloxNoise(seed: 42).fill(stream: 4, &other, count: 1000)
        #expect(other != Array(values.prefix(1000)))
        PhiloxNoise(seed: 43).fill(stream: 3, &other, count: 1000)
        #expect(other != Array(values.prefix(1000)))
    }
}
