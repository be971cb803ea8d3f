import ImageCodec

extension Image {
    /// Pillow's `transform(size, Transform.AFFINE, matrix, resample, fillcolor)`: every output pixel `(x, y)`
    /// samples the input at `(a(x+½) + b(y+½) + c, d(x+½) + e(y+½) + f)`; positions outside the input give `fill`.
    ///
    /// Nearest: a matrix with `b = d = 0` steps positions in double precision and truncates them (Pillow's scaling
    /// path); any other matrix steps in 16.16 fixed point as Pillow does (floating point beyond ±32768 pixels).
    /// Bilinear and bicubic (a = −1) interpolate edge-clamped neighbours in double precision and truncate.
    /// - Parameters:
    ///   - matrix: The output → input map.
    ///   - size: The output size (default: the input's).
    ///   - interpolation: The filter.
    ///   - fill: The fill colour: one value for every channel, or one per channel.
    /// - Returns: The transformed image.
    public func affineTransformed(_ matrix: AffineMatrix, size: PixelSize? = nil, interpolation: AffineInterpolation,
                                  fill: [UInt8] = [0]) -> Image {
        affineTransformed(matrix, size: size, interpolation: interpolation, fill: fill,
                          vector: VectorKernelSupport.available)
    }

    /// `affineTransformed(_:size:interpolation:fill:)` with the choice of kernel: `vector` lets RGB bilinear and
    /// bicubic run the AVX2 kernel (the same bytes; tests compare the two).
    func affineTransformed(_ matrix: AffineMatrix, size: PixelSize?, interpolation: AffineInterpolation, fill: [UInt8],
                           vector: Bool) -> Image {
        let outSize = size ?? PixelSize(width: width, height: height)
        var output = [UInt8](repeating: 0, count: outSize.width * outSize.height * channels)
        let fillValues = fillPixel(fill)
        output.withUnsafeMutableBufferPointer { Self.fill($0, with: fillValues) }
        guard width > 0 && height > 0 && !output.isEmpty else {
            return Image(width: outSize.width, height: outSize.height, channels: channels, pixels: output)
        }
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                let geometry = AffineGeometry(input: input, width: width, height: height, channels: channels,
                                              output: out, outWidth: outSize.width, outHeight: outSize.height,
                                              useVectorKernel: vector)
                switch interpolation {
                case .nearest:
                    if matrix.b == 0 && matrix.d == 0 {
                        geometry.nearestScaling(matrix)
                    } else if geometry.fitsFixedPoint(matrix) {
                        geometry.nearestFixedPoint(matrix)
                    } else {
                        geometry.nearestFloatingPoint(matrix)
                    }
                case .bilinear: geometry.bilinear(matrix)
                case .bicubic: geometry.bicubic(matrix)
                }
            }
        }
        return Image(width: outSize.width, height: outSize.height, channels: channels, pixels: output)
    }

    /// Fills a buffer with a repeated pixel (a byte fill when every channel is equal, doubling copies otherwise).
    static func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>, with pixel: [UInt8]) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        if pixel.allSatisfy({ $0 == pixel[0] }) {
            base.update(repeating: pixel[0], count: buffer.count)
            return
        }
        let first = min(pixel.count, buffer.count)
        for c in 0..<first { base[c] = pixel[c] }
        var filled = first
        while filled < buffer.count {
            let count = min(filled, buffer.count - filled)
            (base + filled).update(from: base, count: count)
            filled += count
        }
    }
}
