import Foundation
import ImageCodec

/// A quarter-turn transpose (Pillow `Transpose.ROTATE_90/180/270`).
public enum QuarterTurn: Int, Sendable, Hashable, CaseIterable {
    /// 90° counter-clockwise.
    case counterClockwise = 90
    /// 180°.
    case halfTurn = 180
    /// 90° clockwise (270° counter-clockwise).
    case clockwise = 270
}

extension Image {
    /// Pillow's `rotate(angle, resample, expand, center, fillcolor)` (torchvision's `F.rotate` on PIL images);
    /// positive angles turn counter-clockwise.
    ///
    /// `angle % 360` of 0 copies, 180 transposes, 90/270 transpose when the image is square or `expand` is set (only
    /// when `center` is `nil`, as in Pillow). Otherwise the affine matrix has entries `round(cos θ, 15)`,
    /// `round(sin θ, 15)` for θ = −radians(angle) about the centre `(W/2, H/2)` (or `center`), and the image goes
    /// through `affineTransformed`. With `expand` the output grows to hold the whole rotated image, sized and placed
    /// as Pillow does (`expandedRotation`).
    /// - Parameters:
    ///   - degrees: The angle in degrees.
    ///   - interpolation: The filter.
    ///   - center: The centre of rotation in pixel coordinates (`nil`: the image's centre, and the transpose shortcuts).
    ///   - fill: The colour of areas outside the rotated image.
    ///   - expand: Whether the output grows to hold the whole rotated image (default `false`: same size).
    /// - Returns: The rotated image.
    public func rotated(degrees: Double, interpolation: AffineInterpolation = .nearest, center: (x: Double, y: Double)? = nil,
                        fill: [UInt8] = [0], expand: Bool = false) -> Image {
        let angle = Self.pythonModulo(degrees, 360)
        if center == nil {
            if angle == 0 { return self }
            if angle == 180 { return transposed(.halfTurn) }
            if (angle == 90 || angle == 270) && (expand || width == height) {
                return transposed(angle == 90 ? .counterClockwise : .clockwise)
            }
        }
        let matrix = Self.rotationMatrix(degrees: angle, width: width, height: height, center: center)
        guard expand else { return affineTransformed(matrix, interpolation: interpolation, fill: fill) }
        let expanded = Self.expandedRotation(matrix, width: width, height: height)
        return affineTransformed(expanded.matrix, size: expanded.size, interpolation: interpolation, fill: fill)
    }

    /// The output size of `rotated(degrees:…, expand: true)` without rotating (for checking limits before allocating).
    /// - Parameters:
    ///   - degrees: The angle in degrees.
    ///   - width: The image's width.
    ///   - height: The image's height.
    ///   - center: The centre, or `nil`.
    /// - Returns: The expanded size (the transposed size for the quarter-turn shortcuts).
    public static func expandedRotationSize(degrees: Double, width: Int, height: Int,
                                            center: (x: Double, y: Double)? = nil) -> PixelSize {
        let angle = pythonModulo(degrees, 360)
        if center == nil {
            if angle == 0 || angle == 180 { return PixelSize(width: width, height: height) }
            if angle == 90 || angle == 270 { return PixelSize(width: height, height: width) }
        }
        let matrix = rotationMatrix(degrees: angle, width: width, height: height, center: center)
        return expandedRotation(matrix, width: width, height: height).size
    }

    /// Pillow's `expand` step: the rotated corners' bounding box `ceil(max) − floor(min)` on each axis gives the
    /// size, and the matrix's translation becomes the image of `(−(nw − W)/2, −(nh − H)/2)` under the matrix.
    /// - Parameters:
    ///   - matrix: The output → input rotation matrix (`rotationMatrix`).
    ///   - width: The image's width.
    ///   - height: The image's height.
    /// - Returns: The output size and the matrix for it.
    static func expandedRotation(_ matrix: AffineMatrix, width: Int, height: Int) -> (size: PixelSize, matrix: AffineMatrix) {
        func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
            (matrix.a * x + matrix.b * y + matrix.c, matrix.d * x + matrix.e * y + matrix.f)
        }
        let w = Double(width), h = Double(height)
        let p0 = apply(0, 0), p1 = apply(w, 0), p2 = apply(w, h), p3 = apply(0, h)
        let maxX = max(max(p0.x, p1.x), max(p2.x, p3.x)), minX = min(min(p0.x, p1.x), min(p2.x, p3.x))
        let maxY = max(max(p0.y, p1.y), max(p2.y, p3.y)), minY = min(min(p0.y, p1.y), min(p2.y, p3.y))
        let newWidth = clampedSide(maxX.rounded(.up) - minX.rounded(.down))
        let newHeight = clampedSide(maxY.rounded(.up) - minY.rounded(.down))
        let translation = apply(-Double(newWidth - width) / 2.0, -Double(newHeight - height) / 2.0)
        return (PixelSize(width: newWidth, height: newHeight),
                AffineMatrix(matrix.a, matrix.b, translation.x, matrix.d, matrix.e, translation.y))
    }

    /// A side computed in floating point as an `Int` (0 for NaN, saturating instead of trapping).
    private static func clampedSide(_ value: Double) -> Int {
        guard value.isFinite else { return value == .infinity ? Int(Int32.max) : 0 }
        return Int(min(max(value, 0), Double(Int32.max)))
    }

    /// The matrix Pillow's `rotate` hands to `transform` (after `angle %= 360`).
    /// - Parameters:
    ///   - degrees: The angle in degrees.
    ///   - width: The image's width.
    ///   - height: The image's height.
    ///   - center: The centre, or `nil` for `(W/2, H/2)`.
    /// - Returns: The output → input matrix.
    public static func rotationMatrix(degrees: Double, width: Int, height: Int, center: (x: Double, y: Double)? = nil)
        -> AffineMatrix {
        let cx = center?.x ?? Double(width) / 2, cy = center?.y ?? Double(height) / 2
        let theta = -(degrees * (Double.pi / 180))
        let cosine = pythonRound15(cos(theta)), sine = pythonRound15(sin(theta)), negativeSine = pythonRound15(-sin(theta))
        let c = cosine * -cx + sine * -cy + 0.0 + cx
        let f = negativeSine * -cx + cosine * -cy + 0.0 + cy
        return AffineMatrix(cosine, sine, c, negativeSine, cosine, f)
    }

    /// Python's `round(value, 15)`: the nearest double to the value correctly rounded to 15 decimals.
    static func pythonRound15(_ value: Double) -> Double {
        // C's "%.15f" rounds the exact binary value correctly, as Python's round does; strtod reads it back.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double in
            guard let base = buffer.baseAddress else { return value }
            let written = withVaList([value]) { vsnprintf(base, 64, "%.15f", $0) }
            guard written > 0 && written < 64 else { return value }
            return strtod(base, nil)
        }
    }

    /// Python's float `%`: the result takes the divisor's sign.
    static func pythonModulo(_ value: Double, _ divisor: Double) -> Double {
        var result = fmod(value, divisor)
        if result != 0 {
            if (divisor < 0) != (result < 0) { result += divisor }
        } else {
            result = divisor < 0 ? -0.0 : 0.0
        }
        return result
    }

    /// A quarter-turn transpose (Pillow `transpose(ROTATE_90/180/270)`); 90° and 270° swap width and height.
    /// - Parameter turn: The rotation.
    /// - Returns: The rotated image.
    public func transposed(_ turn: QuarterTurn) -> Image {
        let outWidth = turn == .halfTurn ? width : height, outHeight = turn == .halfTurn ? height : width
        let channels = self.channels, width = self.width, height = self.height
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let sx: Int, sy: Int
                        switch turn {
                        case .counterClockwise: (sx, sy) = (width - 1 - y, x)
                        case .halfTurn: (sx, sy) = (width - 1 - x, height - 1 - y)
                        case .clockwise: (sx, sy) = (y, height - 1 - x)
                        }
                        let from = input + (sy * width + sx) * channels, to = out + (y * outWidth + x) * channels
                        for c in 0..<channels { to[c] = from[c] }
                    }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, channels: channels, pixels: output)
    }
}
