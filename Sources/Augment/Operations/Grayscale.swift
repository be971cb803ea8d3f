import ImageCodec

/// Converts to gray with probability `p` (torchvision `Grayscale` / `RandomGrayscale` on PIL images: Pillow's L
/// conversion, replicated to the wanted channel count).
public struct Grayscale: Augmenter {
    /// The output channel count, or `nil` to keep the input's (as `RandomGrayscale` does).
    public let outputChannels: Int?
    /// The probability of applying.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameters:
    ///   - outputChannels: 1 or 3, or `nil` to keep the input's count (default).
    ///   - p: The probability (default 1; torchvision's `RandomGrayscale` uses 0.1).
    public init(outputChannels: Int? = nil, p: Double = 1) {
        self.outputChannels = outputChannels
        self.p = p
    }
}
