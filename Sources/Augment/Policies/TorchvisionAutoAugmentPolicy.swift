/// torchvision's `AutoAugmentPolicy`: the sub-policy tables of `AutoAugment._get_policies` (25 sub-policies of two
/// `(operation, probability, magnitude bin)` entries each, bins of a 10-bin table).
public enum TorchvisionAutoAugmentPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// `AutoAugmentPolicy.IMAGENET`.
    case imagenet
    /// `AutoAugmentPolicy.CIFAR10`.
    case cifar10
    /// `AutoAugmentPolicy.SVHN`.
    case svhn

    /// The sub-policies.
    public var subPolicies: [[TorchvisionAutoAugment.Entry]] {
        switch self {
        case .imagenet: TorchvisionAutoAugment.imagenet
        case .cifar10: Self.cifar10Table
        case .svhn: Self.svhnTable
        }
    }

    private static let cifar10Table: [[TorchvisionAutoAugment.Entry]] = [
        [(.invert, 0.1, nil), (.contrast, 0.2, 6)], [(.rotate, 0.7, 2), (.translateX, 0.3, 9)],
        [(.sharpness, 0.8, 1), (.sharpness, 0.9, 3)], [(.shearY, 0.5, 8), (.translateY, 0.7, 9)],
        [(.autoContrast, 0.5, nil), (.equalize, 0.9, nil)], [(.shearY, 0.2, 7), (.posterize, 0.3, 7)],
        [(.color, 0.4, 3), (.brightness, 0.6, 7)], [(.sharpness, 0.3, 9), (.brightness, 0.7, 9)],
        [(.equalize, 0.6, nil), (.equalize, 0.5, nil)], [(.contrast, 0.6, 7), (.sharpness, 0.6, 5)],
        [(.color, 0.7, 7), (.translateX, 0.5, 8)], [(.equalize, 0.3, nil), (.autoContrast, 0.4, nil)],
        [(.translateY, 0.4, 3), (.sharpness, 0.2, 6)], [(.brightness, 0.9, 6), (.color, 0.2, 8)],
        [(.solarize, 0.5, 2), (.invert, 0.0, nil)], [(.equalize, 0.2, nil), (.autoContrast, 0.6, nil)],
        [(.equalize, 0.2, nil), (.equalize, 0.6, nil)], [(.color, 0.9, 9), (.equalize, 0.6, nil)],
        [(.autoContrast, 0.8, nil), (.solarize, 0.2, 8)], [(.brightness, 0.1, 3), (.color, 0.7, 0)],
        [(.solarize, 0.4, 5), (.autoContrast, 0.9, nil)], [(.translateY, 0.9, 9), (.translateY, 0.7, 9)],
        [(.autoContrast, 0.9, nil), (.solarize, 0.8, 3)], [(.equalize, 0.8, nil), (.invert, 0.1, nil)],
        [(.translateY, 0.7, 9), (.autoContrast, 0.9, nil)],
    ]

    private static let svhnTable: [[TorchvisionAutoAugment.Entry]] = [
        [(.shearX, 0.9, 4), (.invert, 0.2, nil)], [(.shearY, 0.9, 8), (.invert, 0.7, nil)],
        [(.equalize, 0.6, nil), (.solarize, 0.6, 6)], [(.invert, 0.9, nil), (.equalize, 0.6, nil)],
        [(.equalize, 0.6, nil), (.rotate, 0.9, 3)], [(.shearX, 0.9, 4), (.autoContrast, 0.8, nil)],
        [(.shearY, 0.9, 8), (.invert, 0.4, nil)], [(.shearY, 0.9, 5), (.solarize, 0.2, 6)],
        [(.invert, 0.9, nil), (.autoContrast, 0.8, nil)], [(.equalize, 0.6, nil), (.rotate, 0.9, 3)],
        [(.shearX, 0.9, 4), (.solarize, 0.3, 3)], [(.shearY, 0.8, 8), (.invert, 0.7, nil)],
        [(.equalize, 0.9, nil), (.translateY, 0.6, 6)], [(.invert, 0.9, nil), (.equalize, 0.6, nil)],
        [(.contrast, 0.3, 3), (.rotate, 0.8, 4)], [(.invert, 0.8, nil), (.translateY, 0.0, 2)],
        [(.shearY, 0.7, 6), (.solarize, 0.4, 8)], [(.invert, 0.6, nil), (.rotate, 0.8, 4)],
        [(.shearY, 0.3, 7), (.translateX, 0.9, 3)], [(.shearX, 0.1, 6), (.invert, 0.6, nil)],
        [(.solarize, 0.7, 2), (.translateY, 0.6, 7)], [(.shearY, 0.8, 4), (.invert, 0.8, nil)],
        [(.shearX, 0.7, 9), (.translateY, 0.8, 3)], [(.shearY, 0.8, 5), (.autoContrast, 0.7, nil)],
        [(.shearX, 0.7, 2), (.invert, 0.1, nil)],
    ]
}
