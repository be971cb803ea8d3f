import ImageCodec
import Testing
import VectorKernels
@testable import Augment

/// The AVX2 resize passes (`VectorKernels`) against the portable Swift loops on the same inputs: they must give the
/// same bytes. (Live-Pillow parity of whichever path the CPU takes is `ResizeParityTests`.)
@Suite("Vector resize kernels")
struct VectorKernelTests {
    /// A deterministic pseudo-random image with smooth and sharp regions.
    private func image(width: Int, height: Int, channels: Int, seed: UInt64) -> Image {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for index in pixels.indices {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let smooth = (index / channels) % max(width, 1) * 255 / max(width, 1)
            pixels[index] = state % 4 == 0 ? UInt8(truncatingIfNeeded: state >> 24) : UInt8(smooth)
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    @Test("both passes equal the Swift loops for every filter, shape, box and channel count",
          .enabled(if: VectorKernelSupport.available, "this CPU has no AVX2: only the Swift loops run"))
    func vectorEqualsScalar() {
        let filters: [ResampleFilter] = [.box, .bilinear, .hamming, .bicubic, .lanczos]
        let shapes = [(1, 1), (2, 3), (5, 17), (17, 5), (31, 29), (64, 48), (97, 131), (300, 7)]
        let outputs = [1, 2, 7, 16, 33, 224]
        var cases = 0
        for (shapeIndex, (width, height)) in shapes.enumerated() {
            for channels in [1, 3, 4] {
                let source = image(width: width, height: height, channels: channels, seed: UInt64(shapeIndex * 7 + channels))
                for (filterIndex, filter) in filters.enumerated() {
                    for output in outputs {
                        // A box inset by a fraction on odd cases, as RandomResizedCrop's fast mode makes.
                        let inset: Float = (filterIndex + output) % 2 == 0 ? 0 : min(0.75, Float(width) / 4)
                        let horizontal = ResizeCoefficients(inputSize: width, start: inset, end: Float(width) - inset / 2,
                                                            outputSize: output, filter: filter)
                        let rows = 0..<height
                        let vector = ResampleKernels.horizontal(source, rows: rows, coefficients: horizontal, vector: true)
                        let scalar = ResampleKernels.horizontal(source, rows: rows, coefficients: horizontal, vector: false)
                        #expect(vector == scalar, "horizontal \(width)x\(height)x\(channels) → \(output), \(filter)")
                        let verticalTable = ResizeCoefficients(inputSize: height, start: inset / 3,
                                                               end: Float(height), outputSize: output, filter: filter)
                        let columns = (width > 2 ? 1 : 0)..<width
                        let down = ResampleKernels.vertical(source, columns: columns, coefficients: verticalTable,
                                                            vector: true)
                        let downScalar = ResampleKernels.vertical(source, columns: columns, coefficients: verticalTable,
                                                                  vector: false)
                        #expect(down == downScalar, "vertical \(width)x\(height)x\(channels) → \(output), \(filter)")
                        cases += 2
                    }
                }
            }
        }
        #expect(cases == 2 * shapes.count * 3 * filters.count * outputs.count)
    }
}

/// The AVX2 luminance against the Swift word-at-a-time loop.
@Suite("Vector luminance")
struct VectorLuminanceTests {
    @Test("the vector and Swift RGB → L loops agree for every pixel count",
          .enabled(if: VectorKernelSupport.available, "this CPU has no AVX2: only the Swift loop runs"))
    func vectorEqualsScalar() {
        for count in Array(1...40) + [224 * 224, 500 * 375 + 3] {
            var state = UInt64(count) &* 0xD1B5_4A32_D192_ED03 | 1
            let rgb = (0..<(count * 3)).map { _ -> UInt8 in
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return UInt8(truncatingIfNeeded: state >> 32)
            }
            var vector = [UInt8](repeating: 0, count: count), scalar = [UInt8](repeating: 1, count: count)
            rgb.withUnsafeBufferPointer { input in
                vector.withUnsafeMutableBufferPointer { sgid_luminance_rgb(input.baseAddress!, count, $0.baseAddress!) }
                scalar.withUnsafeMutableBufferPointer {
                    Image.luminanceRGB(input.baseAddress!, into: $0.baseAddress!, count: count)
                }
            }
            #expect(vector == scalar, "\(count) pixels")
        }
    }
}

/// The AVX2 colour enhancer against the Swift loop.
@Suite("Vector colour enhance")
struct VectorColorTests {
    @Test("the vector and Swift ImageEnhance.Color agree for every factor kind and pixel count",
          .enabled(if: VectorKernelSupport.available, "this CPU has no AVX2: only the Swift loop runs"))
    func vectorEqualsScalar() {
        for factor: Float in [0, 0.1, 0.5, 0.99, 1.5, 1.9, 2.5, -0.3, 7] {
            for count in Array(1...20) + [224 * 224 + 3] {
                var state = UInt64(count) &* 0x9E37_79B9_7F4A_7C15 | 1
                let pixels = (0..<(count * 3)).map { _ -> UInt8 in
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                    return UInt8(truncatingIfNeeded: state >> 32)
                }
                let image = Image(width: count, height: 1, channels: 3, pixels: pixels)
                #expect(image.colorEnhancedRGB(factor, vector: true) == image.colorEnhancedRGB(factor, vector: false),
                        "factor \(factor), \(count) pixels")
            }
        }
    }
}

/// The fast mode's pass order against Pillow's.
@Suite("Resize pass order")
struct ResizePassOrderTests {
    @Test("the cheaper pass order stays within rounding of Pillow's order, and equals it when one pass is skipped")
    func cheapestOrderIsWithinRounding() {
        var state: UInt64 = 0x5DEE_CE66_D1CE_4E5B
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var differing = 0
        for filter in [ResampleFilter.bilinear, .bicubic, .lanczos] {
            for _ in 0..<12 {
                let width = 20 + Int(next() % 300), height = 20 + Int(next() % 300)
                let pixels = (0..<(width * height * 3)).map { index in
                    next() % 8 == 0 ? UInt8(truncatingIfNeeded: next()) : UInt8((index / 3 % width) * 255 / width)
                }
                let image = Image(width: width, height: height, channels: 3, pixels: pixels)
                let size = PixelSize(width: 1 + Int(next() % 224), height: 1 + Int(next() % 224))
                let pillow = image.resized(to: size, filter: filter, box: nil, passOrder: .pillow)
                let cheapest = image.resized(to: size, filter: filter, box: nil, passOrder: .cheapest)
                #expect(pillow.width == cheapest.width && pillow.height == cheapest.height)
                // Bilinear (positive taps): one rounding of the 8-bit intermediate, so ±1. Bicubic and Lanczos
                // overshoot at edges and the intermediate is clipped to 0…255 in a different place, so isolated
                // pixels at sharp edges (this image's noise) move more; on average the two orders agree closely.
                let differences = zip(pillow.pixels, cheapest.pixels).map { abs(Int($0) - Int($1)) }
                let largest = differences.max() ?? 0
                let mean = Double(differences.reduce(0, +)) / Double(max(differences.count, 1))
                print("pass order \(filter) \(width)x\(height) → \(size.width)x\(size.height): max \(largest), mean \(mean)")
                #expect(largest <= (filter == .bilinear ? 1 : 32), "\(filter) \(width)x\(height) → \(size): max \(largest)")
                #expect(mean < (filter == .bilinear ? 0.5 : 1), "\(filter) \(width)x\(height) → \(size): mean \(mean)")
                if largest > 0 { differing += 1 }
                let rowOnly = PixelSize(width: size.width, height: height)
                #expect(image.resized(to: rowOnly, filter: filter, box: nil, passOrder: .cheapest)
                        == image.resized(to: rowOnly, filter: filter))
            }
        }
        // The orders do differ somewhere (otherwise this test would not be checking a choice).
        #expect(differing > 0)
    }
}

/// The AVX2 affine kernel against the Swift kernels (live-Pillow parity of the path the CPU takes is
/// `PixelOperationParityTests`).
@Suite("Vector affine kernel")
struct VectorAffineTests {
    @Test("bilinear and bicubic give the Swift kernels' bytes for rotations, shears, translations and general maps",
          .enabled(if: VectorKernelSupport.available, "this CPU has no AVX2: only the Swift kernels run"))
    func vectorEqualsScalar() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Double(state % 1_000_000) / 1_000_000
        }
        let shapes = [(1, 1), (2, 2), (3, 7), (7, 3), (17, 13), (64, 48), (97, 131), (333, 5)]
        var compared = 0
        for (width, height) in shapes {
            let pixels = (0..<(width * height * 3)).map { (index: Int) -> UInt8 in
                UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 7 &+ index / 3)
            }
            let image = Image(width: width, height: height, channels: 3, pixels: pixels)
            var matrices: [AffineMatrix] = [
                .shearX(next() * 1.8 - 0.9), .shearY(next() * 1.8 - 0.9), .translateX(next() * 40 - 20),
                .translateX(Double(Int(next() * 20) - 10)), .translateY(next() * 30 - 15),
                AffineMatrix(0.5, 0, 1.25, 0, 1.5, -2),
                AffineMatrix(1.3, 0.2, -3, -0.4, 0.9, 5),
            ]
            for _ in 0..<3 {
                matrices.append(Image.rotationMatrix(degrees: next() * 360 - 180, width: width, height: height))
                let a = next() * 3 - 1.5, b = next() * 3 - 1.5, c = (next() * 3 - 1.5) * Double(width)
                let d = next() * 3 - 1.5, e = next() * 3 - 1.5, f = (next() * 3 - 1.5) * Double(height)
                matrices.append(AffineMatrix(a, b, c, d, e, f))
            }
            for matrix in matrices {
                for interpolation in [AffineInterpolation.bilinear, .bicubic] {
                    for size in [nil, PixelSize(width: width + 3, height: max(1, height - 1))] {
                        let fill: [UInt8] = [UInt8(truncatingIfNeeded: compared), 7, 200]
                        let vector = image.affineTransformed(matrix, size: size, interpolation: interpolation, fill: fill,
                                                             vector: true)
                        let scalar = image.affineTransformed(matrix, size: size, interpolation: interpolation, fill: fill,
                                                             vector: false)
                        #expect(vector == scalar, "\(width)x\(height) \(matrix) \(interpolation) size \(String(describing: size))")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == shapes.count * 13 * 2 * 2)
    }
}
