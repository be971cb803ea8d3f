import ImageCodec

/// Stretches each channel to the full range with probability `p` (Pillow `ImageOps.autocontrast`, torchvision
/// `RandomAutocontrast`, timm `auto_contrast`).
public struct AutoContrast: Augmenter {
    /// The probability of applying.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameter p: The probability (default 1: always).
    public init(p: Double = 1) { self.p = p }
}

/// Equalizes each channel's histogram with probability `p` (Pillow `ImageOps.equalize`, torchvision `RandomEqualize`).
public struct Equalize: Augmenter {
    /// The probability of applying.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameter p: The probability (default 1).
    public init(p: Double = 1) { self.p = p }
}

/// Inverts every channel with probability `p` (Pillow `ImageOps.invert`, torchvision `RandomInvert`).
public struct Invert: Augmenter {
    /// The probability of applying.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameter p: The probability (default 1).
    public init(p: Double = 1) { self.p = p }
}

/// Keeps the top bits of every channel with probability `p` (Pillow `ImageOps.posterize`, torchvision
/// `RandomPosterize`); the bit count is drawn uniformly from `bits`.
public struct Posterize: Augmenter {
    /// The bit counts kept (0…8).
    public let bits: ClosedRange<Int>
    /// The probability of applying.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameters:
    ///   - bits: Bits kept (a single value for a fixed operation).
    ///   - p: The probability (default 1).
    public init(bits: ClosedRange<Int>, p: Double = 1) {
        self.bits = bits
        self.p = p
    }
}

/// Inverts channel values at or above a threshold with probability `p` (Pillow `ImageOps.solarize`, torchvision
/// `RandomSolarize`); the threshold is drawn uniformly from `threshold`.
public struct Solarize: Augmenter {
    /// The thresholds (0…256).
    public let threshold: ClosedRange<Int>
    /// The probability of applying.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameters:
    ///   - threshold: The threshold (a single value for a fixed operation).
    ///   - p: The probability (default 1).
    public init(threshold: ClosedRange<Int>, p: Double = 1) {
        self.threshold = threshold
        self.p = p
    }
}

/// timm's `solarize_add` with probability `p`: adds a value drawn from `addition` to channel values below
/// `threshold`.
public struct SolarizeAdd: Augmenter {
    /// The values added.
    public let addition: ClosedRange<Int>
    /// Values below it are raised.
    public let threshold: Int
    /// The probability of applying.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameters:
    ///   - addition: The value added (a single value for a fixed operation).
    ///   - threshold: The threshold (timm's default 128).
    ///   - p: The probability (default 1).
    public init(addition: ClosedRange<Int>, threshold: Int = 128, p: Double = 1) {
        self.addition = addition
        self.threshold = threshold
        self.p = p
    }
}
