import Tensor

/// A k × k convolution, stride 1, "same" zero padding (k / 2), with a bias, as an im2col matrix and sgemm: the
/// forward pass is col · W, the weight gradient colᵀ · dY (the im2col kept from the forward pass), the input gradient
/// dY · Wᵀ scattered back (col2im). W is the packed weight, taps × in rows by out columns.
final class ConvolutionLayer: TrainableLayer {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let weight: Parameter
    let bias: Parameter

    var parameters: [Parameter] { [weight, bias] }

    /// Creates the layer with PyTorch's default initialisation (uniform in ±1/√fan-in for weights and bias).
    init(name: String, inChannels: Int, outChannels: Int, kernel: Int, rng: inout TrainingRNG) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        let fanIn = inChannels * kernel * kernel
        let bound = 1 / Float(fanIn).squareRoot()
        let torch = (0..<outChannels * fanIn).map { _ in (rng.uniform() * 2 - 1) * bound }
        weight = Parameter(name: name + ".weight", shape: [outChannels, inChannels, kernel, kernel],
                           layout: .convolutionPacked(outChannels: outChannels, inChannels: inChannels, kernel: kernel),
                           values: torch)
        weight.setTorchValues(torch)
        bias = Parameter(name: name + ".bias", shape: [outChannels],
                         values: (0..<outChannels).map { _ in (rng.uniform() * 2 - 1) * bound })
    }

    func outputShape(_ input: MapShape) -> MapShape { MapShape(height: input.height, width: input.width, channels: outChannels) }

    private var columns: Int { kernel * kernel * inChannels }

    func forward(_ input: UnsafePointer<Float>, images: Int, shape: MapShape, state: LayerState, context: PassContext) {
        let rows = images * shape.pixels
        state.scratch.reserve(rows * columns)
        let col = state.scratch.pointer, out = state.output.pointer
        for image in 0..<images {
            im2col(input + image * shape.count, shape: shape, into: col + image * shape.pixels * columns)
        }
        weight.values.withUnsafeBufferPointer { w in
            bias.values.withUnsafeBufferPointer { b in
                for row in 0..<rows { (out + row * outChannels).update(from: b.baseAddress!, count: outChannels) }
            }
            BLAS.gemm(m: rows, n: outChannels, k: columns, a: col, lda: columns, b: w.baseAddress!, ldb: outChannels,
                      beta: 1, c: out, ldc: outChannels)
        }
    }

    func backward(_ input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, images: Int, shape: MapShape,
                  state: LayerState, gradients: [UnsafeMutablePointer<Float>], needsInputGradient: Bool) {
        let rows = images * shape.pixels
        let biasGradient = gradients[1]
        for row in 0..<rows {
            let dy = outputGradient + row * outChannels
            for o in 0..<outChannels { biasGradient[o] += dy[o] }
        }
        BLAS.gemm(transposeA: true, m: columns, n: outChannels, k: rows, a: state.scratch.pointer, lda: columns,
                  b: outputGradient, ldb: outChannels, beta: 1, c: gradients[0], ldc: outChannels)
        guard needsInputGradient else { return }
        state.scratch2.reserve(rows * columns)
        let dcol = state.scratch2.pointer
        weight.values.withUnsafeBufferPointer { w in
            BLAS.gemm(transposeB: true, m: rows, n: columns, k: outChannels, a: outputGradient, lda: outChannels,
                      b: w.baseAddress!, ldb: outChannels, c: dcol, ldc: columns)
        }
        for image in 0..<images {
            col2im(dcol + image * shape.pixels * columns, shape: shape, into: state.inputGradient.pointer + image * shape.count)
        }
    }

    /// One image's im2col: a row per output pixel of taps × in values (row-major taps), zeros outside the image.
    private func im2col(_ image: UnsafePointer<Float>, shape: MapShape, into col: UnsafeMutablePointer<Float>) {
        let padding = kernel / 2, channels = shape.channels
        var row = col
        for y in 0..<shape.height {
            for x in 0..<shape.width {
                for ky in 0..<kernel {
                    let sy = y + ky - padding
                    for kx in 0..<kernel {
                        let sx = x + kx - padding
                        let target = row + (ky * kernel + kx) * channels
                        if sy >= 0, sy < shape.height, sx >= 0, sx < shape.width {
                            target.update(from: image + (sy * shape.width + sx) * channels, count: channels)
                        } else {
                            target.update(repeating: 0, count: channels)
                        }
                    }
                }
                row += columns
            }
        }
    }

    /// The adjoint of `im2col`: each column entry added back to the pixel it was copied from, pixels and taps in order.
    private func col2im(_ col: UnsafePointer<Float>, shape: MapShape, into image: UnsafeMutablePointer<Float>) {
        let padding = kernel / 2, channels = shape.channels
        image.update(repeating: 0, count: shape.count)
        var row = col
        for y in 0..<shape.height {
            for x in 0..<shape.width {
                for ky in 0..<kernel {
                    let sy = y + ky - padding
                    guard sy >= 0, sy < shape.height else { continue }
                    for kx in 0..<kernel {
                        let sx = x + kx - padding
                        guard sx >= 0, sx < shape.width else { continue }
                        let source = row + (ky * kernel + kx) * channels, target = image + (sy * shape.width + sx) * channels
                        for c in 0..<channels { target[c] += source[c] }
                    }
                }
                row += columns
            }
        }
    }
}
