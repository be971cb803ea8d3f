import ImageCodec

/// A source rectangle with fractional edges, Pillow's `box=` argument of `Image.resize`: the output covers
/// `[left, right) × [top, bottom)` of the source.
///
/// Pillow passes the box to its C core as single-precision floats, so the edges are stored as `Float`; two boxes
/// that Pillow cannot tell apart are equal here too.
public struct ResizeBox: Sendable, Hashable, CustomStringConvertible {
    /// Left edge (source columns).
    public var left: Float
    /// Top edge (source rows).
    public var top: Float
    /// Right edge, exclusive.
    public var right: Float
    /// Bottom edge, exclusive.
    public var bottom: Float

    /// Creates a box from its edges.
    /// - Parameters:
    ///   - left: Left edge.
    ///   - top: Top edge.
    ///   - right: Right edge.
    ///   - bottom: Bottom edge.
    public init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = Float(left)
        self.top = Float(top)
        self.right = Float(right)
        self.bottom = Float(bottom)
    }

    /// Creates the box covering a whole-pixel region.
    /// - Parameter region: The region.
    public init(_ region: PixelRegion) {
        self.init(left: Double(region.x), top: Double(region.y),
                  right: Double(region.x + region.width), bottom: Double(region.y + region.height))
    }

    /// `"(left, top, right, bottom)"`.
    public var description: String { "(\(left), \(top), \(right), \(bottom))" }

    /// Whether the box is a valid `box=` for a `width × height` image (Pillow's checks: non-negative origin,
    /// inside the image, non-negative extent).
    /// - Parameters:
    ///   - width: The image's width.
    ///   - height: The image's height.
    /// - Returns: `true` when Pillow would accept the box.
    public func fits(width: Int, height: Int) -> Bool {
        left >= 0 && top >= 0 && right <= Float(width) && bottom <= Float(height) && right >= left && bottom >= top
    }
}
