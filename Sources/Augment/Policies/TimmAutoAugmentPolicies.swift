/// The AutoAugment policies of timm (`auto_augment_policy_v0`, `_v0r`, `_original`, `_originalr`: 25 ImageNet
/// sub-policies of two `(operation, probability, magnitude)` entries each; `_3a`: 3-Augment's three one-operation
/// sub-policies).
public enum TimmAutoAugmentPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The TPU EfficientNet policy.
    case v0
    /// `v0` with the increasing posterize.
    case v0r
    /// The AutoAugment paper's ImageNet policy.
    case original
    /// `original` with the increasing posterize.
    case originalr
    /// 3-Augment (DeiT III): solarize, desaturate or a random Gaussian blur, one per image.
    case threeAugment = "3a"

    /// One entry of a sub-policy.
    public typealias Entry = (operation: TimmOperation, probability: Double, magnitude: Double)

    /// The sub-policies.
    public var subPolicies: [[Entry]] {
        switch self {
        case .v0: Self.table(Self.v0Table, posterize: .posterize)
        case .v0r: Self.table(Self.v0Table, posterize: .posterizeIncreasing)
        case .original: Self.table(Self.originalTable, posterize: .posterizeOriginal)
        case .originalr: Self.table(Self.originalTable, posterize: .posterizeIncreasing)
        case .threeAugment: Self.table(Self.threeAugmentTable, posterize: .posterize)
        }
    }

    /// Expands a compact table; `P` stands for the policy's posterize variant.
    private static func table(_ rows: [[(String, Double, Double)]], posterize: TimmOperation) -> [[Entry]] {
        rows.map { row in
            row.map { name, probability, magnitude in
                (name == "P" ? posterize : TimmOperation(rawValue: name) ?? .equalize, probability, magnitude)
            }
        }
    }

    private static let threeAugmentTable: [[(String, Double, Double)]] = [
        [("Solarize", 1.0, 5)], [("Desaturate", 1.0, 10)], [("GaussianBlurRand", 1.0, 10)],
    ]

    private static let v0Table: [[(String, Double, Double)]] = [
        [("Equalize", 0.8, 1), ("ShearY", 0.8, 4)], [("Color", 0.4, 9), ("Equalize", 0.6, 3)],
        [("Color", 0.4, 1), ("Rotate", 0.6, 8)], [("Solarize", 0.8, 3), ("Equalize", 0.4, 7)],
        [("Solarize", 0.4, 2), ("Solarize", 0.6, 2)], [("Color", 0.2, 0), ("Equalize", 0.8, 8)],
        [("Equalize", 0.4, 8), ("SolarizeAdd", 0.8, 3)], [("ShearX", 0.2, 9), ("Rotate", 0.6, 8)],
        [("Color", 0.6, 1), ("Equalize", 1.0, 2)], [("Invert", 0.4, 9), ("Rotate", 0.6, 0)],
        [("Equalize", 1.0, 9), ("ShearY", 0.6, 3)], [("Color", 0.4, 7), ("Equalize", 0.6, 0)],
        [("P", 0.4, 6), ("AutoContrast", 0.4, 7)], [("Solarize", 0.6, 8), ("Color", 0.6, 9)],
        [("Solarize", 0.2, 4), ("Rotate", 0.8, 9)], [("Rotate", 1.0, 7), ("TranslateYRel", 0.8, 9)],
        [("ShearX", 0.0, 0), ("Solarize", 0.8, 4)], [("ShearY", 0.8, 0), ("Color", 0.6, 4)],
        [("Color", 1.0, 0), ("Rotate", 0.6, 2)], [("Equalize", 0.8, 4), ("Equalize", 0.0, 8)],
        [("Equalize", 1.0, 4), ("AutoContrast", 0.6, 2)], [("ShearY", 0.4, 7), ("SolarizeAdd", 0.6, 7)],
        [("P", 0.8, 2), ("Solarize", 0.6, 10)], [("Solarize", 0.6, 8), ("Equalize", 0.6, 1)],
        [("Color", 0.8, 6), ("Rotate", 0.4, 5)],
    ]

    private static let originalTable: [[(String, Double, Double)]] = [
        [("P", 0.4, 8), ("Rotate", 0.6, 9)], [("Solarize", 0.6, 5), ("AutoContrast", 0.6, 5)],
        [("Equalize", 0.8, 8), ("Equalize", 0.6, 3)], [("P", 0.6, 7), ("P", 0.6, 6)],
        [("Equalize", 0.4, 7), ("Solarize", 0.2, 4)], [("Equalize", 0.4, 4), ("Rotate", 0.8, 8)],
        [("Solarize", 0.6, 3), ("Equalize", 0.6, 7)], [("P", 0.8, 5), ("Equalize", 1.0, 2)],
        [("Rotate", 0.2, 3), ("Solarize", 0.6, 8)], [("Equalize", 0.6, 8), ("P", 0.4, 6)],
        [("Rotate", 0.8, 8), ("Color", 0.4, 0)], [("Rotate", 0.4, 9), ("Equalize", 0.6, 2)],
        [("Equalize", 0.0, 7), ("Equalize", 0.8, 8)], [("Invert", 0.6, 4), ("Equalize", 1.0, 8)],
        [("Color", 0.6, 4), ("Contrast", 1.0, 8)], [("Rotate", 0.8, 8), ("Color", 1.0, 2)],
        [("Color", 0.8, 8), ("Solarize", 0.8, 7)], [("Sharpness", 0.4, 7), ("Invert", 0.6, 8)],
        [("ShearX", 0.6, 5), ("Equalize", 1.0, 9)], [("Color", 0.4, 0), ("Equalize", 0.6, 3)],
        [("Equalize", 0.4, 7), ("Solarize", 0.2, 4)], [("Solarize", 0.6, 5), ("AutoContrast", 0.6, 5)],
        [("Invert", 0.6, 4), ("Equalize", 1.0, 8)], [("Color", 0.6, 4), ("Contrast", 1.0, 8)],
        [("Equalize", 0.8, 8), ("Equalize", 0.6, 3)],
    ]
}
