import VectorKernels

/// Pillow's bilinear and bicubic `transform` filters over raw buffers, computed in double precision with Pillow's
/// expressions term for term (so every output byte is Pillow's), arranged for speed: positions come from per-column
/// and per-row products instead of four multiplications per pixel, and each kernel is specialised for 1, 3 and 4
/// channels so that its channel loop becomes straight-line code.
extension AffineGeometry {
    /// Bilinear: positions outside the input keep the fill; neighbours are edge-clamped; results truncate.
    /// - Parameter m: The output → input map.
    func bilinear(_ m: AffineMatrix) {
        if vectorKernelApplies { return vectorSample(m, bicubic: false) }
        switch channels {
        case 1: sample(m, with: BilinearKernel(self, OneChannel()))
        case 3: sample(m, with: BilinearKernel(self, ThreeChannels()))
        case 4: sample(m, with: BilinearKernel(self, FourChannels()))
        default: sample(m, with: BilinearKernel(self, AnyChannels(count: channels)))
        }
    }

    /// Bicubic with a = −1 on edge-clamped 4×4 neighbourhoods; results clamp and truncate.
    /// - Parameter m: The output → input map.
    func bicubic(_ m: AffineMatrix) {
        if vectorKernelApplies { return vectorSample(m, bicubic: true) }
        switch channels {
        case 1: sample(m, with: BicubicKernel(self, OneChannel()))
        case 3: sample(m, with: BicubicKernel(self, ThreeChannels()))
        case 4: sample(m, with: BicubicKernel(self, FourChannels()))
        default: sample(m, with: BicubicKernel(self, AnyChannels(count: channels)))
        }
    }

    /// Whether the AVX2 kernel (`sgid_affine_rgb`: RGB, images below 2³¹ bytes) runs instead of the Swift kernels.
    var vectorKernelApplies: Bool {
        useVectorKernel && channels == 3 && width * height * 3 < Int(Int32.max)
    }

    /// The AVX2 form of both filters: the same double-precision operations in the same order, four pixels at a time.
    private func vectorSample(_ m: AffineMatrix, bicubic: Bool) {
        let matrix = [m.a, m.b, m.c, m.d, m.e, m.f]
        sgid_affine_rgb(input, width, height, output, outWidth, outHeight, matrix, bicubic ? 1 : 0)
    }

    /// Runs `kernel` on every output pixel whose position `(a(x+½) + b(y+½) + c, d(x+½) + e(y+½) + f)` lies inside
    /// the input, with the position shifted by −½ as Pillow's filters shift it; other pixels keep the fill.
    private func sample<Kernel: InterpolationKernel>(_ m: AffineMatrix, with kernel: Kernel) {
        let channels = kernel.channels
        let w = Double(width), h = Double(height), outRowBytes = outWidth &* channels
        // a·(x+½) and d·(x+½) per column: the same products Pillow forms per pixel.
        var columnTerms = [Double](repeating: 0, count: 2 &* outWidth)
        for x in 0..<outWidth {
            let cx = Double(x) + 0.5
            columnTerms[2 &* x] = m.a * cx
            columnTerms[2 &* x &+ 1] = m.d * cx
        }
        columnTerms.withUnsafeBufferPointer { table in
            guard let terms = table.baseAddress else { return }
            for y in 0..<outHeight {
                let cy = Double(y) + 0.5
                let rowX = m.b * cy, rowY = m.e * cy
                var to = output + y &* outRowBytes
                for x in 0..<outWidth {
                    // (a·cx + b·cy) + c, associated as Pillow's `a0 * xin + a1 * yin + a2`.
                    let sx = terms[2 &* x] + rowX + m.c, sy = terms[2 &* x &+ 1] + rowY + m.f
                    if sx >= 0 && sx < w && sy >= 0 && sy < h { kernel.sample(sx - 0.5, sy - 0.5, into: to) }
                    to += channels
                }
            }
        }
    }
}
