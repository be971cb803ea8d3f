import Testing
@testable import Loader

/// The collator's AVX2 normaliser against its Swift loop: the same floats, bit for bit.
@Suite("Collator normalisation")
struct CollatorNormalizationTests {
    @Test("the vector and scalar RGB normalisers write identical planes for every pixel count",
          .enabled(if: Collator.vectorAvailable, "this CPU has no AVX2: only the Swift loop runs"))
    func vectorEqualsScalar() {
        let normalizations = [Normalization.imagenet, Normalization(mean: [0.5, 0.25, 0.125], std: [0.3, 0.7, 0.11])]
        for normalization in normalizations {
            for pixels in Array(1...33) + [224 * 224, 224 * 224 + 5] {
                let bytes = (0..<(pixels * 3)).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ pixels) }
                var vector = [Float](repeating: .nan, count: pixels * 3)
                var scalar = [Float](repeating: .nan, count: pixels * 3)
                bytes.withUnsafeBufferPointer { source in
                    vector.withUnsafeMutableBufferPointer { target in
                        Collator.normalizePlanar(source, into: target.baseAddress!, channels: 3, pixels: pixels,
                                                 normalization: normalization, vector: true)
                    }
                    scalar.withUnsafeMutableBufferPointer { target in
                        Collator.normalizePlanar(source, into: target.baseAddress!, channels: 3, pixels: pixels,
                                                 normalization: normalization, vector: false)
                    }
                }
                #expect(vector.map(\.bitPattern) == scalar.map(\.bitPattern), "\(pixels) pixels")
            }
        }
    }
}
