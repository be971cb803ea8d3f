/// 2 × 2 max pooling, stride 2 (odd sizes floor): the first largest value of each window in row-major order wins and
/// receives the gradient, as in PyTorch (a NaN wins over numbers).
final class MaxPoolLayer: TrainableLayer {
    var parameters: [Parameter] { [] }
    func outputShape(_ input: MapShape) -> MapShape {
        MapShape(height: input.height / 2, width: input.width / 2, channels: input.channels)
    }

    func forward(_ input: UnsafePointer<Float>, images: Int, shape: MapShape, state: LayerState, context: PassContext) {
        let output = outputShape(shape), channels = shape.channels
        if state.indices.count < images * output.count { state.indices = [Int32](repeating: 0, count: images * output.count) }
        let out = state.output.pointer
        state.indices.withUnsafeMutableBufferPointer { winners in
            for image in 0..<images {
                let source = image * shape.count, target = image * output.count
                for y in 0..<output.height {
                    for x in 0..<output.width {
                        let corner = source + (2 * y * shape.width + 2 * x) * channels
                        let rowBelow = shape.width * channels
                        for c in 0..<channels {
                            // PyTorch's rule, in row-major window order: a larger value or a NaN takes over.
                            var best = corner + c
                            let others = (corner + channels + c, corner + rowBelow + c, corner + rowBelow + channels + c)
                            if input[others.0] > input[best] || input[others.0].isNaN { best = others.0 }
                            if input[others.1] > input[best] || input[others.1].isNaN { best = others.1 }
                            if input[others.2] > input[best] || input[others.2].isNaN { best = others.2 }
                            let slot = target + (y * output.width + x) * channels + c
                            out[slot] = input[best]
                            winners[slot] = Int32(best - source)
                        }
                    }
                }
            }
        }
    }

    func backward(_ input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, images: Int, shape: MapShape,
                  state: LayerState, gradients: [UnsafeMutablePointer<Float>], needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        let output = outputShape(shape), dx = state.inputGradient.pointer
        dx.update(repeating: 0, count: images * shape.count)
        for image in 0..<images {
            for slot in image * output.count..<(image + 1) * output.count {
                dx[image * shape.count + Int(state.indices[slot])] += outputGradient[slot]
            }
        }
    }
}

/// The mean of each channel over the pixels, to a 1 × 1 map.
final class GlobalAveragePoolLayer: TrainableLayer {
    var parameters: [Parameter] { [] }
    func outputShape(_ input: MapShape) -> MapShape { MapShape(height: 1, width: 1, channels: input.channels) }

    func forward(_ input: UnsafePointer<Float>, images: Int, shape: MapShape, state: LayerState, context: PassContext) {
        let channels = shape.channels, out = state.output.pointer
        for image in 0..<images {
            let source = input + image * shape.count, target = out + image * channels
            target.update(repeating: 0, count: channels)
            for pixel in 0..<shape.pixels {
                for c in 0..<channels { target[c] += source[pixel * channels + c] }
            }
            for c in 0..<channels { target[c] /= Float(shape.pixels) }
        }
    }

    func backward(_ input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, images: Int, shape: MapShape,
                  state: LayerState, gradients: [UnsafeMutablePointer<Float>], needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        let channels = shape.channels, dx = state.inputGradient.pointer
        for image in 0..<images {
            let dy = outputGradient + image * channels, target = dx + image * shape.count
            for pixel in 0..<shape.pixels {
                for c in 0..<channels { target[pixel * channels + c] = dy[c] / Float(shape.pixels) }
            }
        }
    }
}
