import Foundation
import ImageCodec

extension Image {
    /// torchvision's `gaussian_blur` on a PIL image, bit for bit: the 1-D kernels `exp(−½(x/σ)²)` over
    /// `x = −(k−1)/2 … (k−1)/2` normalised in single precision, their single-precision outer product as the 2-D
    /// kernel, reflect padding of `k/2` on each side, and torch's CPU convolution order (kernel rows outer, columns
    /// inner, one fused multiply-add per tap into a single-precision accumulator starting at 0); the result is rounded
    /// half to even.
    ///
    /// Padding wider than the image (which torch refuses) reflects periodically, as `numpy.pad` does.
    /// - Parameters:
    ///   - kernelSize: Odd kernel width and height (≥ 1).
    ///   - sigma: Standard deviations along x and y (> 0).
    /// - Returns: The blurred image.
    /// - Precondition: odd positive kernel sizes and positive sigmas.
    public func gaussianBlurred(kernelSize: (x: Int, y: Int), sigma: (x: Double, y: Double)) -> Image {
        precondition(kernelSize.x > 0 && kernelSize.x % 2 == 1 && kernelSize.y > 0 && kernelSize.y % 2 == 1,
                     "kernel sizes must be odd and positive")
        precondition(sigma.x > 0 && sigma.y > 0, "sigma must be positive")
        guard width > 0 && height > 0 else { return self }
        let kx = Self.gaussianKernel(size: kernelSize.x, sigma: sigma.x)
        let ky = Self.gaussianKernel(size: kernelSize.y, sigma: sigma.y)
        let weights = ky.flatMap { wy in kx.map { wx in Double(wy * wx) } }
        let padded = reflectPadded(horizontal: kernelSize.x / 2, vertical: kernelSize.y / 2)
        let channels = self.channels, rowBytes = self.rowBytes, paddedRow = (width + kernelSize.x - 1) * channels
        var output = [UInt8](repeating: 0, count: pixels.count)
        var accumulator = [Float](repeating: 0, count: rowBytes)
        padded.withUnsafeBufferPointer { source in
            weights.withUnsafeBufferPointer { kernel in
                accumulator.withUnsafeMutableBufferPointer { sums in
                    output.withUnsafeMutableBufferPointer { target in
                        guard let input = source.baseAddress, let taps = kernel.baseAddress, let acc = sums.baseAddress,
                              let out = target.baseAddress else { return }
                        for y in 0..<height {
                            acc.update(repeating: 0, count: rowBytes)
                            for i in 0..<kernelSize.y {
                                let row = input + (y + i) * paddedRow
                                for j in 0..<kernelSize.x {
                                    let weight = taps[i * kernelSize.x + j], shifted = row + j * channels
                                    // A single-precision fused multiply-add: the product is exact in double.
                                    for index in 0..<rowBytes { acc[index] = Float(weight * shifted[index] + Double(acc[index])) }
                                }
                            }
                            let outRow = out + y * rowBytes
                            for index in 0..<rowBytes {
                                outRow[index] = UInt8(min(max(acc[index].rounded(.toNearestOrEven), 0), 255))
                            }
                        }
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// The image as doubles with reflect padding (`numpy.pad(mode="reflect")`, periodic when wider than the image).
    private func reflectPadded(horizontal: Int, vertical: Int) -> [Double] {
        let outWidth = width + 2 * horizontal, outHeight = height + 2 * vertical, channels = self.channels
        let columns = (0..<outWidth).map { Self.paddedIndex($0 - horizontal, extent: width, mode: .reflect) * channels }
        var padded = [Double](repeating: 0, count: outWidth * outHeight * channels)
        pixels.withUnsafeBufferPointer { source in
            padded.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for y in 0..<outHeight {
                    let row = input + Self.paddedIndex(y - vertical, extent: height, mode: .reflect) * rowBytes
                    let outRow = out + y * outWidth * channels
                    for x in 0..<outWidth {
                        for c in 0..<channels { outRow[x * channels + c] = Double(row[columns[x] + c]) }
                    }
                }
            }
        }
        return padded
    }

    /// torchvision's `_get_gaussian_kernel1d` in single precision: `pdf = exp(−½(x/σ)²)`, `pdf / Σpdf`.
    /// - Parameters:
    ///   - size: The kernel size (odd).
    ///   - sigma: The standard deviation.
    /// - Returns: The weights.
    static func gaussianKernel(size: Int, sigma: Double) -> [Float] {
        let half = Float(size - 1) * 0.5, s = Float(sigma)
        let pdf = (0..<size).map { index -> Float in
            let x = -half + Float(index)
            let scaled = x / s
            return expf(-0.5 * (scaled * scaled))
        }
        var total: Float = 0
        for value in pdf { total += value }
        return pdf.map { $0 / total }
    }
}
