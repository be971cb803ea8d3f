import Foundation

extension AffineMatrix {
    /// The matrix torchvision's `F.affine` hands to Pillow (`_get_inverse_affine_matrix`): the inverse of
    /// rotate-by-`angle` · shear · scale about `center`, then translate, computed in double precision in
    /// torchvision's order of operations.
    /// - Parameters:
    ///   - center: The centre in pixels (torchvision's PIL default is `(W/2, H/2)`; RandAugment passes `(0, 0)`).
    ///   - angle: Rotation in degrees (counter-clockwise).
    ///   - translate: Translation in pixels (x, y).
    ///   - scale: Scale factor (> 0).
    ///   - shear: Shear angles in degrees (x, y).
    /// - Returns: The output → input matrix.
    public static func torchvisionInverse(center: (x: Double, y: Double), angle: Double, translate: (x: Double, y: Double),
                                          scale: Double, shear: (x: Double, y: Double)) -> AffineMatrix {
        let radians = Double.pi / 180
        let rot = angle * radians, sx = shear.x * radians, sy = shear.y * radians
        let a = cos(rot - sy) / cos(sy)
        let b = -cos(rot - sy) * tan(sx) / cos(sy) - sin(rot)
        let c = sin(rot - sy) / cos(sy)
        let d = -sin(rot - sy) * tan(sx) / cos(sy) + cos(rot)
        let m0 = d / scale, m1 = -b / scale, m3 = -c / scale, m4 = a / scale
        var m2 = 0.0 / scale, m5 = 0.0 / scale
        m2 += m0 * (-center.x - translate.x) + m1 * (-center.y - translate.y)
        m5 += m3 * (-center.x - translate.x) + m4 * (-center.y - translate.y)
        m2 += center.x
        m5 += center.y
        return AffineMatrix(m0, m1, m2, m3, m4, m5)
    }
}
