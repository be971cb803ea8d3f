import Foundation
import Tensor
import TensorKernels
import Testing

/// Every form of the kernels (AVX-512, AVX2, portable) computes the same operations in the same order, so they give
/// the same bits; checked on random inputs for every shape class the models use.
@Suite("Tensor kernel forms", .serialized)
struct KernelFormTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
        }
    }

    /// Runs `body` under each form the CPU has and returns the results.
    static func underEveryForm<T>(_ body: () -> T) -> [(KernelForm, T)] {
        let original = KernelForm.current
        defer { KernelForm.use(original) }
        var results: [(KernelForm, T)] = []
        for form in KernelForm.allCases where KernelForm.use(form) == form { results.append((form, body())) }
        return results
    }

    @Test(arguments: [(32, 32, 16, 16, 3, 1), (32, 32, 32, 16, 3, 1), (32, 32, 16, 16, 3, 2), (16, 16, 48, 32, 3, 1),
                      (8, 8, 64, 32, 3, 1), (28, 28, 1, 16, 3, 1), (7, 7, 32, 64, 3, 1), (16, 16, 32, 8, 1, 1), (32, 32, 16, 1, 3, 1),
                      (8, 8, 20, 24, 3, 1), (5, 5, 3, 3, 3, 1), (9, 9, 33, 17, 3, 2)])
    func convolutionGivesTheSameBitsInEveryForm(shape: (Int, Int, Int, Int, Int, Int)) throws {
        let (height, width, inChannels, outChannels, kernel, stride) = shape
        var generator = Generator(state: UInt64(height * 1000 + inChannels * 10 + outChannels))
        let weights = (0..<outChannels * inChannels * kernel * kernel).map { _ in generator.next() }
        let bias = (0..<outChannels).map { _ in generator.next() }
        let conv = try Conv2D(weight: weights, bias: bias, inChannels: inChannels, outChannels: outChannels, kernelSize: kernel,
                              stride: stride, padding: Padding(kernel / 2))
        let input = FeatureMap(height: height, width: width, channels: inChannels)
        for index in 0..<input.count { input.values[index] = generator.next() }
        let (outH, outW) = conv.outputSize(height: height, width: width)
        let results = Self.underEveryForm { () -> [Float] in
            let output = FeatureMap(height: outH, width: outW, channels: outChannels)
            conv.apply(input, into: output, workspace: Workspace())
            return output.array
        }
        let reference = results[0].1
        for (form, values) in results.dropFirst() {
            #expect(values.map(\.bitPattern) == reference.map(\.bitPattern), "\(form) differs from the portable form for \(shape)")
        }
        // And the portable form against a direct double-precision sum.
        let padded = kernel / 2
        var worst: Double = 0
        for y in 0..<outH {
            for x in 0..<outW {
                for o in 0..<outChannels {
                    var sum = Double(bias[o])
                    for i in 0..<inChannels {
                        for ky in 0..<kernel {
                            for kx in 0..<kernel {
                                let (iy, ix) = (y * stride + ky - padded, x * stride + kx - padded)
                                guard (0..<height).contains(iy), (0..<width).contains(ix) else { continue }
                                sum += Double(weights[((o * inChannels + i) * kernel + ky) * kernel + kx])
                                    * Double(input.values[(iy * width + ix) * inChannels + i])
                            }
                        }
                    }
                    worst = max(worst, abs(sum - Double(reference[(y * outW + x) * outChannels + o])))
                }
            }
        }
        #expect(worst < 1e-4, "portable convolution differs from the exact sum by \(worst)")
    }

    @Test(arguments: [(1024, 16, 8), (256, 32, 8), (64, 48, 4), (49, 64, 32)])
    func groupNormAndSiLUGiveTheSameBitsInEveryForm(shape: (Int, Int, Int)) throws {
        let (pixels, channels, groups) = shape
        var generator = Generator(state: UInt64(pixels + channels))
        let norm = try GroupNorm(groups: groups, channels: channels, eps: 1e-5, weight: (0..<channels).map { _ in 1 + generator.next() },
                                 bias: (0..<channels).map { _ in generator.next() })
        let input = FeatureMap(height: pixels, width: 1, channels: channels)
        for index in 0..<input.count { input.values[index] = 3 * generator.next() + 0.5 }
        for silu in [false, true] {
            let results = Self.underEveryForm { () -> [UInt32] in
                let output = FeatureMap(height: pixels, width: 1, channels: channels)
                norm.apply(input, into: output, silu: silu)
                return output.array.map(\.bitPattern)
            }
            for (form, bits) in results.dropFirst() { #expect(bits == results[0].1, "\(form), silu \(silu), \(shape)") }
        }
    }

    @Test func theExponentialIsAccurateAndTheSameInEveryForm() {
        var inputs: [Float] = stride(from: -90, through: 90, by: 0.0137).map { Float($0) }
        inputs += [0, -0.0, 1e-30, -1e-30, 88.0, -87.3, 100, -100]
        let results = Self.underEveryForm { () -> [Float] in
            var output = [Float](repeating: 0, count: inputs.count)
            sgid_exp(inputs, &output, inputs.count)
            return output
        }
        for (form, values) in results.dropFirst() { #expect(values.map(\.bitPattern) == results[0].1.map(\.bitPattern), "\(form)") }
        var worst: Double = 0
        for (x, y) in zip(inputs, results[0].1) where (-87.3...88.0).contains(x) {
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(y) - exact) / exact)
        }
        #expect(worst < 2e-7, "relative error \(worst)")
        print("exp kernel: max relative error \(worst) on [-87.3, 88]; \(results.count) forms agree bit for bit")
    }

    @Test(arguments: [(64, 64), (3, 1024), (5, 37), (2, 8), (1, 15)])
    func softmaxGivesTheSameBitsInEveryFormAndSumsToOne(shape: (Int, Int)) {
        let (rows, columns) = shape
        var generator = Generator(state: UInt64(rows * 7919 + columns))
        let input = (0..<rows * columns).map { _ in 20 * generator.next() }
        let results = Self.underEveryForm { () -> [Float] in
            var values = input
            sgid_softmax_rows(&values, Int32(rows), Int32(columns), 0.35)
            return values
        }
        for (form, values) in results.dropFirst() { #expect(values.map(\.bitPattern) == results[0].1.map(\.bitPattern), "\(form), \(shape)") }
        for row in 0..<rows {
            let slice = input[row * columns..<(row + 1) * columns].map { Double($0) * 0.35 }
            let top = slice.max()!
            let total = slice.reduce(0) { $0 + Foundation.exp($1 - top) }
            for column in 0..<columns {
                let exact = Foundation.exp(slice[column] - top) / total
                #expect(abs(Double(results[0].1[row * columns + column]) - exact) <= 1e-6 * max(exact, 1e-3))
            }
        }
    }

    @Test(arguments: [(64, 16, 32), (256, 32, 64), (1024, 32, 64), (48, 16, 16)])
    func fusedAttentionGivesTheSameBitsInEveryFormAndMatchesTheExactProduct(shape: (Int, Int, Int)) {
        let (tokens, headDim, rowStride) = shape
        var generator = Generator(state: UInt64(tokens * 31 + headDim))
        let q = (0..<tokens * rowStride).map { _ in generator.next() }, k = (0..<tokens * rowStride).map { _ in generator.next() }
        let v = (0..<tokens * rowStride).map { _ in generator.next() }
        let scale = 1 / Float(headDim).squareRoot()
        #expect(sgid_attention_head_supported(Int32(tokens), Int32(headDim)) != 0)
        let results = Self.underEveryForm { () -> [Float] in
            var out = [Float](repeating: 0, count: tokens * rowStride)
            var scratch = [Float](repeating: 0, count: (headDim + 8) * tokens)
            sgid_attention_head(q, k, v, Int32(tokens), Int32(headDim), Int32(rowStride), scale, &out, Int32(rowStride), &scratch)
            return out
        }
        for (form, values) in results.dropFirst() { #expect(values.map(\.bitPattern) == results[0].1.map(\.bitPattern), "\(form), \(shape)") }
        var worst = 0.0
        for t in stride(from: 0, to: tokens, by: max(1, tokens / 16)) {
            let scores = (0..<tokens).map { j in (0..<headDim).reduce(0.0) { $0 + Double(q[t * rowStride + $1]) * Double(k[j * rowStride + $1]) } * Double(scale) }
            let top = scores.max()!
            let weights = scores.map { Foundation.exp($0 - top) }
            let total = weights.reduce(0, +)
            for d in 0..<headDim {
                let exact = (0..<tokens).reduce(0.0) { $0 + weights[$1] * Double(v[$1 * rowStride + d]) } / total
                worst = max(worst, abs(exact - Double(results[0].1[t * rowStride + d])))
            }
        }
        #expect(worst < 1e-5, "fused attention differs from the exact product by \(worst)")
    }
}
