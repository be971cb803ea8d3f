import ImageCodec
import VectorKernels

/// Copies processed samples into one contiguous batch buffer in the output layout (converting and normalising floats).
struct Collator {
    let format: OutputFormat
    let pool: BatchMemoryPool

    /// Builds a batch.
    /// - Parameters:
    ///   - samples: The batch's samples, in order (at least one).
    ///   - epoch: The epoch.
    ///   - index: The batch's number in the epoch.
    /// - Returns: The batch.
    /// - Throws: `.shapeMismatch` naming the first sample whose size differs from the first one's.
    func collate(_ samples: [ProcessedSample], epoch: Int, index: Int) throws(LoaderError) -> Batch {
        let first = samples[0].image
        for sample in samples where sample.image.width != first.width || sample.image.height != first.height
            || sample.image.channels != first.channels {
            throw LoaderError(.shapeMismatch, "sample is \(sample.image.width)x\(sample.image.height)x\(sample.image.channels) "
                              + "but the batch's first is \(first.width)x\(first.height)x\(first.channels); add a crop or "
                              + "resize to the pipeline so every sample has the same size", key: sample.key)
        }
        let elements = first.pixelCount * first.channels
        let memory = pool.take(bytes: samples.count * elements * format.elementBytes)
        for (slot, sample) in samples.enumerated() {
            sample.image.pixels.withUnsafeBufferPointer { source in
                switch format {
                case .uint8NHWC:
                    let target = memory.pointer.assumingMemoryBound(to: UInt8.self) + slot * elements
                    target.update(from: source.baseAddress!, count: elements)
                case .float32NHWC(let normalization):
                    let target = memory.pointer.assumingMemoryBound(to: Float.self) + slot * elements
                    Self.normalizeInterleaved(source, into: target, channels: first.channels, normalization: normalization)
                case .float32NCHW(let normalization):
                    let target = memory.pointer.assumingMemoryBound(to: Float.self) + slot * elements
                    Self.normalizePlanar(source, into: target, channels: first.channels, pixels: first.pixelCount,
                                         normalization: normalization)
                }
            }
        }
        return Batch(epoch: epoch, index: index, count: samples.count, width: first.width, height: first.height,
                     channels: first.channels, format: format, labels: samples.map { Int32($0.label ?? -1) },
                     keys: samples.map(\.key), positions: samples.map(\.position), memory: memory)
    }

    /// Per-channel `value * scale + offset` with scale = 1/(255·std) and offset = −mean/std.
    static func coefficients(_ normalization: Normalization, channels: Int) -> (scale: [Float], offset: [Float]) {
        var scale = [Float](repeating: 1 / 255, count: channels), offset = [Float](repeating: 0, count: channels)
        for channel in 0..<channels {
            let mean = normalization.mean[min(channel, normalization.mean.count - 1)]
            let std = normalization.std[min(channel, normalization.std.count - 1)]
            scale[channel] = 1 / (255 * std)
            offset[channel] = -mean / std
        }
        return (scale, offset)
    }

    static func normalizeInterleaved(_ source: UnsafeBufferPointer<UInt8>, into target: UnsafeMutablePointer<Float>,
                                     channels: Int, normalization: Normalization) {
        let (scale, offset) = coefficients(normalization, channels: channels)
        for index in 0..<source.count {
            let channel = index % channels
            target[index] = Float(source[index]) * scale[channel] + offset[channel]
        }
    }

    /// Whether the AVX2 normaliser runs on this CPU (`SGID_DISABLE_VECTOR_KERNELS=1` turns it off).
    static let vectorAvailable = sgid_vector_kernels_available() != 0

    /// Interleaved bytes to normalised planes (`value * scale + offset` per channel, two roundings).
    /// - Parameters:
    ///   - source: `pixels × channels` interleaved bytes.
    ///   - target: `channels` planes of `pixels` floats.
    ///   - channels: Channels per pixel.
    ///   - pixels: Pixels per plane.
    ///   - normalization: Mean and standard deviation.
    ///   - vector: Whether the AVX2 kernel may run (RGB only).
    static func normalizePlanar(_ source: UnsafeBufferPointer<UInt8>, into target: UnsafeMutablePointer<Float>,
                                channels: Int, pixels: Int, normalization: Normalization,
                                vector: Bool = vectorAvailable) {
        let (scale, offset) = coefficients(normalization, channels: channels)
        guard let input = source.baseAddress else { return }
        if channels == 3 && vector {
            sgid_normalize_planar_rgb(input, pixels, target, target + pixels, target + 2 * pixels, scale, offset)
            return
        }
        if channels == 3 {
            // One pass over the interleaved pixels, writing the three planes side by side.
            let red = target, green = target + pixels, blue = target + 2 * pixels
            let (a0, a1, a2) = (scale[0], scale[1], scale[2]), (b0, b1, b2) = (offset[0], offset[1], offset[2])
            var pixel = input
            for index in 0..<pixels {
                red[index] = Float(pixel[0]) * a0 + b0
                green[index] = Float(pixel[1]) * a1 + b1
                blue[index] = Float(pixel[2]) * a2 + b2
                pixel += 3
            }
            return
        }
        for channel in 0..<channels {
            let plane = target + channel * pixels
            let a = scale[channel], b = offset[channel]
            var index = channel
            for pixel in 0..<pixels {
                plane[pixel] = Float(input[index]) * a + b
                index &+= channels
            }
        }
    }
}
