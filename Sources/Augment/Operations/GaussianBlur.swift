import ImageCodec

/// torchvision's `GaussianBlur(kernel_size, sigma)`: σ drawn uniformly (single precision) from `sigma` and used on
/// both axes; results within ±1 of torchvision.
public struct GaussianBlur: Augmenter {
    /// Odd kernel width and height.
    public let kernelSize: (x: Int, y: Int)
    /// The σ range.
    public let sigma: ClosedRange<Double>

    /// Creates the augmenter.
    /// - Parameters:
    ///   - kernelSize: Odd positive kernel width and height.
    ///   - sigma: The σ range (default 0.1…2, torchvision's), positive.
    /// - Precondition: odd positive sizes and a positive range.
    public init(kernelSize: (x: Int, y: Int), sigma: ClosedRange<Double> = 0.1...2.0) {
        precondition(kernelSize.x > 0 && kernelSize.x % 2 == 1 && kernelSize.y > 0 && kernelSize.y % 2 == 1,
                     "GaussianBlur kernel sizes must be odd and positive")
        precondition(sigma.lowerBound > 0, "GaussianBlur sigma must be positive")
        self.kernelSize = kernelSize
        self.sigma = sigma
    }

    /// Creates the augmenter with a square kernel.
    /// - Parameters:
    ///   - kernelSize: Odd positive side.
    ///   - sigma: The σ range.
    public init(kernelSize: Int, sigma: ClosedRange<Double> = 0.1...2.0) {
        self.init(kernelSize: (kernelSize, kernelSize), sigma: sigma)
    }
}
