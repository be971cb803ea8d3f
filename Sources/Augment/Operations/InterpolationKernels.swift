/// One of Pillow's interpolating filters, evaluated at a position inside the input.
protocol InterpolationKernel {
    associatedtype Layout: ChannelLayout
    /// The input buffer and its edges.
    var source: InterpolationSource { get }
    /// The pixel layout.
    var layout: Layout { get }
    /// Creates the kernel.
    init(source: InterpolationSource, layout: Layout)
    /// Writes the filtered pixel at a position already shifted by −½ (so ≥ −½ on both axes).
    /// - Parameters:
    ///   - x: The shifted column position.
    ///   - y: The shifted row position.
    ///   - to: The output pixel.
    func sample(_ x: Double, _ y: Double, into to: UnsafeMutablePointer<UInt8>)
}

extension InterpolationKernel {
    /// Creates the kernel over a geometry's input.
    /// - Parameters:
    ///   - geometry: The input and output buffers.
    ///   - layout: The pixel layout.
    init(_ geometry: AffineGeometry, _ layout: Layout) { self.init(source: InterpolationSource(geometry), layout: layout) }

    /// Channels per pixel.
    var channels: Int { layout.count }
}

/// The input buffer and its edges, as the kernels clamp neighbours to them.
struct InterpolationSource {
    let pixels: UnsafePointer<UInt8>
    let lastColumn: Int, lastRow: Int, rowBytes: Int

    init(_ geometry: AffineGeometry) {
        pixels = geometry.input
        lastColumn = geometry.width &- 1
        lastRow = geometry.height &- 1
        rowBytes = geometry.width &* geometry.channels
    }

    /// Pillow's `FLOOR` of a position already known to be ≥ −½: −1 below zero, the truncation otherwise.
    @inline(__always)
    static func floorOfShifted(_ value: Double) -> Int { value < 0 ? -1 : Int(value) }

    /// Pillow's clamp-and-truncate of a filtered value to a byte.
    @inline(__always)
    static func truncatedByte(_ value: Double) -> UInt8 { value <= 0 ? 0 : (value >= 255 ? 255 : UInt8(value)) }
}

/// Pillow's `bilinear_filter*`: `BILINEAR(v, a, b, d) = a + (b − a)·d` along x on two edge-clamped rows, then along y.
struct BilinearKernel<Layout: ChannelLayout>: InterpolationKernel {
    let source: InterpolationSource
    let layout: Layout

    @inline(__always)
    func sample(_ x: Double, _ y: Double, into to: UnsafeMutablePointer<UInt8>) {
        let channels = layout.count
        let ix = InterpolationSource.floorOfShifted(x), iy = InterpolationSource.floorOfShifted(y)
        let dx = x - Double(ix), dy = y - Double(iy)
        let x0 = max(ix, 0) &* channels, x1 = min(ix &+ 1, source.lastColumn) &* channels
        let row0 = source.pixels + max(iy, 0) &* source.rowBytes
        let row1 = source.pixels + min(iy &+ 1, source.lastRow) &* source.rowBytes
        // A zero fraction makes the interpolation along that axis return its first neighbour exactly
        // (`a + (b − a)·0 = a`), so skipping it changes no byte; shears and translations hit this on every pixel.
        if dy == 0 {
            for c in 0..<channels {
                let a0 = Double(row0[x0 &+ c]), b0 = Double(row0[x1 &+ c])
                to[c] = InterpolationSource.truncatedByte(a0 + (b0 - a0) * dx)
            }
        } else if dx == 0 {
            for c in 0..<channels {
                let top = Double(row0[x0 &+ c]), bottom = Double(row1[x0 &+ c])
                to[c] = InterpolationSource.truncatedByte(top + (bottom - top) * dy)
            }
        } else {
            for c in 0..<channels {
                let a0 = Double(row0[x0 &+ c]), b0 = Double(row0[x1 &+ c])
                let a1 = Double(row1[x0 &+ c]), b1 = Double(row1[x1 &+ c])
                let top = a0 + (b0 - a0) * dx, bottom = a1 + (b1 - a1) * dx
                to[c] = InterpolationSource.truncatedByte(top + (bottom - top) * dy)
            }
        }
    }
}

/// Pillow's `bicubic_filter*` (a = −1): the `BICUBIC` polynomial along x on four edge-clamped rows, then along y.
struct BicubicKernel<Layout: ChannelLayout>: InterpolationKernel {
    let source: InterpolationSource
    let layout: Layout

    @inline(__always)
    func sample(_ x: Double, _ y: Double, into to: UnsafeMutablePointer<UInt8>) {
        let channels = layout.count, last = source.lastColumn, lastRow = source.lastRow, rowBytes = source.rowBytes
        let fx = InterpolationSource.floorOfShifted(x), fy = InterpolationSource.floorOfShifted(y)
        let dx = x - Double(fx), dy = y - Double(fy)
        let x0 = max(fx &- 1, 0) &* channels, x1 = max(fx, 0) &* channels
        let x2 = min(fx &+ 1, last) &* channels, x3 = min(fx &+ 2, last) &* channels
        let r0 = source.pixels + max(fy &- 1, 0) &* rowBytes, r1 = source.pixels + max(fy, 0) &* rowBytes
        let r2 = source.pixels + min(fy &+ 1, lastRow) &* rowBytes
        let r3 = source.pixels + min(fy &+ 2, lastRow) &* rowBytes
        // As in the bilinear kernel: a zero fraction reduces the cubic along that axis to its second neighbour exactly.
        if dy == 0 {
            for c in 0..<channels {
                to[c] = InterpolationSource.truncatedByte(
                    Self.cubic(r1[x0 &+ c], r1[x1 &+ c], r1[x2 &+ c], r1[x3 &+ c], dx))
            }
        } else if dx == 0 {
            for c in 0..<channels {
                to[c] = InterpolationSource.truncatedByte(
                    Self.cubic(r0[x1 &+ c], r1[x1 &+ c], r2[x1 &+ c], r3[x1 &+ c], dy))
            }
        } else {
            for c in 0..<channels {
                let v0 = Self.cubic(r0[x0 &+ c], r0[x1 &+ c], r0[x2 &+ c], r0[x3 &+ c], dx)
                let v1 = Self.cubic(r1[x0 &+ c], r1[x1 &+ c], r1[x2 &+ c], r1[x3 &+ c], dx)
                let v2 = Self.cubic(r2[x0 &+ c], r2[x1 &+ c], r2[x2 &+ c], r2[x3 &+ c], dx)
                let v3 = Self.cubic(r3[x0 &+ c], r3[x1 &+ c], r3[x2 &+ c], r3[x3 &+ c], dx)
                to[c] = InterpolationSource.truncatedByte(Self.cubic(v0, v1, v2, v3, dy))
            }
        }
    }

    /// Pillow's `BICUBIC` macro on four bytes: the coefficients are small integers, exact in `Int32` as they are in
    /// double precision, so only the polynomial evaluation needs floating point.
    @inline(__always)
    private static func cubic(_ v1: UInt8, _ v2: UInt8, _ v3: UInt8, _ v4: UInt8, _ d: Double) -> Double {
        let i1 = Int32(v1), i2 = Int32(v2), i3 = Int32(v3), i4 = Int32(v4)
        let p2 = i3 &- i1, p3 = 2 &* (i1 &- i2) &+ i3 &- i4, p4 = i2 &- i1 &- i3 &+ i4
        return Double(i2) + d * (Double(p2) + d * (Double(p3) + d * Double(p4)))
    }

    /// Pillow's `BICUBIC` macro (a = −1), evaluated in its order.
    @inline(__always)
    private static func cubic(_ v1: Double, _ v2: Double, _ v3: Double, _ v4: Double, _ d: Double) -> Double {
        let p1 = v2, p2 = -v1 + v3, p3 = 2 * (v1 - v2) + v3 - v4, p4 = -v1 + v2 - v3 + v4
        return p1 + d * (p2 + d * (p3 + d * p4))
    }
}

/// A pixel's channel count as a type, so that generic specialisation turns the per-channel loops of the common
/// layouts into straight-line code.
protocol ChannelLayout {
    /// Channels per pixel.
    var count: Int { get }
}

/// One channel (L).
struct OneChannel: ChannelLayout {
    var count: Int { 1 }
}

/// Three channels (RGB).
struct ThreeChannels: ChannelLayout {
    var count: Int { 3 }
}

/// Four channels (RGBA).
struct FourChannels: ChannelLayout {
    var count: Int { 4 }
}

/// Any other channel count, known only at run time.
struct AnyChannels: ChannelLayout {
    let count: Int
}
