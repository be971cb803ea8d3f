import Foundation

/// The resampling filters of Pillow's `Image.resize`, with Pillow's kernels and supports.
///
/// Every filter except `nearest` is a separable convolution that widens with the scale factor when downscaling
/// (antialiasing). `nearest` picks one source pixel per output pixel, as Pillow's affine nearest path does.
public enum ResampleFilter: String, Sendable, CaseIterable, Codable {
    /// Nearest neighbour (Pillow `NEAREST`, 0).
    case nearest
    /// Box / area average (Pillow `BOX`, 4), support 0.5.
    case box
    /// Triangle (Pillow `BILINEAR`, 2), support 1.
    case bilinear
    /// Hamming-windowed sinc (Pillow `HAMMING`, 5), support 1.
    case hamming
    /// Keys cubic with a = −0.5 (Pillow `BICUBIC`, 3), support 2.
    case bicubic
    /// Lanczos with a = 3 (Pillow `LANCZOS`, 1), support 3.
    case lanczos

    /// Pillow's integer constant for the filter (`Image.Resampling`).
    public var pillowValue: Int {
        switch self {
        case .nearest: return 0
        case .lanczos: return 1
        case .bilinear: return 2
        case .bicubic: return 3
        case .box: return 4
        case .hamming: return 5
        }
    }

    /// Parses a filter name as written in pipeline specs (`nearest`, `box`, `bilinear`, `hamming`, `bicubic`,
    /// `lanczos`; `antialias` is accepted as Pillow's old name for `lanczos`).
    /// - Parameter name: The name, case-insensitive.
    /// - Returns: The filter, or `nil` for an unknown name.
    public static func named(_ name: String) -> ResampleFilter? {
        let lowered = name.lowercased()
        if lowered == "antialias" || lowered == "lanczos3" { return .lanczos }
        return ResampleFilter(rawValue: lowered)
    }

    /// The kernel's half-width at scale 1 (0 for `nearest`, which has no kernel).
    var support: Double {
        switch self {
        case .nearest: return 0
        case .box: return 0.5
        case .bilinear, .hamming: return 1
        case .bicubic: return 2
        case .lanczos: return 3
        }
    }

    /// The kernel's weight at distance `x` (in source pixels divided by the filter scale).
    /// - Parameter x: The signed distance.
    /// - Returns: The unnormalised weight.
    func weight(_ x: Double) -> Double {
        switch self {
        case .nearest:
            return 0
        case .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            let t = abs(x)
            return t < 1 ? 1 - t : 0
        case .hamming:
            let t = abs(x)
            if t == 0 { return 1 }
            if t >= 1 { return 0 }
            let angle = t * Double.pi
            // Pillow writes the window's constants as single-precision literals.
            return sin(angle) / angle * (Double(Float(0.54)) + Double(Float(0.46)) * cos(angle))
        case .bicubic:
            let a = -0.5
            let t = abs(x)
            if t < 1 { return ((a + 2) * t - (a + 3)) * t * t + 1 }
            if t < 2 { return (((t - 5) * t + 8) * t - 4) * a }
            return 0
        case .lanczos:
            guard x >= -3 && x < 3 else { return 0 }
            return Self.sinc(x) * Self.sinc(x / 3)
        }
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let angle = x * Double.pi
        return sin(angle) / angle
    }
}
