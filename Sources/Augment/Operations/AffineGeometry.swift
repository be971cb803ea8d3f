import Foundation

/// The sampling loops behind `Image.affineTransformed`: raw buffers of one input and one pre-filled output.
struct AffineGeometry {
    let input: UnsafePointer<UInt8>
    let width: Int, height: Int, channels: Int
    let output: UnsafeMutablePointer<UInt8>
    let outWidth: Int, outHeight: Int

    init(input: UnsafePointer<UInt8>, width: Int, height: Int, channels: Int, output: UnsafeMutablePointer<UInt8>,
         outWidth: Int, outHeight: Int) {
        self.input = input
        self.width = width
        self.height = height
        self.channels = channels
        self.output = output
        self.outWidth = outWidth
        self.outHeight = outHeight
    }

    @inline(__always)
    private func copyPixel(from x: Int, _ y: Int, to index: Int) {
        copyPixel(input + (y * width + x) * channels, output + index * channels)
    }

    @inline(__always)
    private func copyPixel(_ from: UnsafePointer<UInt8>, _ to: UnsafeMutablePointer<UInt8>) {
        switch channels {
        case 1:
            to[0] = from[0]
        case 3:
            to[0] = from[0]
            to[1] = from[1]
            to[2] = from[2]
        case 4:
            to[0] = from[0]
            to[1] = from[1]
            to[2] = from[2]
            to[3] = from[3]
        default:
            for c in 0..<channels { to[c] = from[c] }
        }
    }

    /// Pillow's truncation of a position: −1 when negative.
    @inline(__always)
    private static func coordinate(_ value: Double) -> Int { value < 0 ? -1 : (value < 4e18 ? Int(value) : Int.max) }

    /// The scaling path (`b = d = 0`): column positions tabulated once, row positions stepped.
    func nearestScaling(_ m: AffineMatrix) {
        // Source byte offsets of the valid columns (a contiguous span, as positions move monotonically).
        var columns = [Int](repeating: -1, count: outWidth)
        var first = outWidth, end = 0
        var position = m.c + m.a * 0.5
        for x in 0..<outWidth {
            let source = Self.coordinate(position)
            if source >= 0 && source < width {
                columns[x] = source * channels
                first = min(first, x)
                end = x + 1
            }
            position += m.a
        }
        guard first < end else { return }
        let rowBytes = width * channels, outRowBytes = outWidth * channels, channels = self.channels
        var rowPosition = m.f + m.e * 0.5
        var previousSource = -1, previousRow: UnsafeMutablePointer<UInt8>? = nil
        columns.withUnsafeBufferPointer { table in
            guard let offsets = table.baseAddress else { return }
            for y in 0..<outHeight {
                let sourceRow = Self.coordinate(rowPosition)
                rowPosition += m.e
                guard sourceRow >= 0 && sourceRow < height else { continue }
                let outRow = output + y * outRowBytes
                if sourceRow == previousSource, let previousRow {
                    (outRow + first * channels).update(from: previousRow + first * channels, count: (end - first) * channels)
                    continue
                }
                previousSource = sourceRow
                previousRow = outRow
                let inRow = input + sourceRow * rowBytes
                if m.a == 1 {
                    // A pure translation: one contiguous copy.
                    (outRow + first * channels).update(from: inRow + offsets[first], count: (end - first) * channels)
                    continue
                }
                for x in first..<end where offsets[x] >= 0 { copyPixel(inRow + offsets[x], outRow + x * channels) }
            }
        }
    }

    /// Whether every position at the output's corners stays within ±32768 (Pillow's condition for fixed point).
    func fitsFixedPoint(_ m: AffineMatrix) -> Bool {
        func check(_ x: Double, _ y: Double) -> Bool {
            abs(x * m.a + y * m.b + m.c) < 32768 && abs(x * m.d + y * m.e + m.f) < 32768
        }
        let w = Double(outWidth), h = Double(outHeight)
        return check(0, 0) && check(w, h) && check(0, h) && check(w, 0)
    }

    /// The general nearest path in 16.16 fixed point: `FIX(v) = floor(v·65536 + 0.5)`.
    func nearestFixedPoint(_ m: AffineMatrix) {
        func fix(_ value: Double) -> Int { Int((value * 65536 + 0.5).rounded(.down)) }
        let stepXX = fix(m.a), stepXY = fix(m.b), stepYX = fix(m.d), stepYY = fix(m.e)
        var rowX = fix(m.c + m.a * 0.5 + m.b * 0.5), rowY = fix(m.f + m.d * 0.5 + m.e * 0.5)
        let channels = self.channels, rowBytes = width * channels
        let columnLimit = UInt(width), rowLimit = UInt(height)
        for y in 0..<outHeight {
            var xx = rowX, yy = rowY
            var to = output + y * outWidth * channels
            if channels == 3 {
                for _ in 0..<outWidth {
                    let sx = xx >> 16, sy = yy >> 16
                    if UInt(bitPattern: sx) < columnLimit && UInt(bitPattern: sy) < rowLimit {
                        let from = input + sy * rowBytes + sx * 3
                        to[0] = from[0]
                        to[1] = from[1]
                        to[2] = from[2]
                    }
                    xx &+= stepXX
                    yy &+= stepYX
                    to += 3
                }
            } else {
                for _ in 0..<outWidth {
                    let sx = xx >> 16, sy = yy >> 16
                    if UInt(bitPattern: sx) < columnLimit && UInt(bitPattern: sy) < rowLimit {
                        copyPixel(input + sy * rowBytes + sx * channels, to)
                    }
                    xx &+= stepXX
                    yy &+= stepYX
                    to += channels
                }
            }
            rowX += stepXY
            rowY += stepYY
        }
    }

    /// The general nearest path in floating point (used when fixed point would overflow).
    func nearestFloatingPoint(_ m: AffineMatrix) {
        var rowX = m.c + m.a * 0.5 + m.b * 0.5, rowY = m.f + m.d * 0.5 + m.e * 0.5
        for y in 0..<outHeight {
            var xx = rowX, yy = rowY
            for x in 0..<outWidth {
                let sx = Self.coordinate(xx), sy = Self.coordinate(yy)
                if sx >= 0 && sx < width && sy >= 0 && sy < height { copyPixel(from: sx, sy, to: y * outWidth + x) }
                xx += m.a
                yy += m.d
            }
            rowX += m.b
            rowY += m.e
        }
    }

    /// Bilinear: positions outside the input keep the fill; neighbours are edge-clamped; results truncate.
    func bilinear(_ m: AffineMatrix) {
        let w = Double(width), h = Double(height), channels = self.channels, rowBytes = width * channels
        for y in 0..<outHeight {
            let cy = Double(y) + 0.5
            for x in 0..<outWidth {
                let cx = Double(x) + 0.5
                var sx = m.a * cx + m.b * cy + m.c, sy = m.d * cx + m.e * cy + m.f
                guard sx >= 0 && sx < w && sy >= 0 && sy < h else { continue }
                sx -= 0.5
                sy -= 0.5
                let fx = sx.rounded(.down), fy = sy.rounded(.down)
                let dx = sx - fx, dy = sy - fy
                let ix = Int(fx), iy = Int(fy)
                let x0 = max(ix, 0) * channels, x1 = min(ix + 1, width - 1) * channels
                let row0 = input + max(iy, 0) * rowBytes, row1 = input + min(iy + 1, height - 1) * rowBytes
                let to = output + (y * outWidth + x) * channels
                for c in 0..<channels {
                    let a0 = Double(row0[x0 + c]), b0 = Double(row0[x1 + c])
                    let top = a0 + (b0 - a0) * dx
                    let a1 = Double(row1[x0 + c]), b1 = Double(row1[x1 + c])
                    let bottom = a1 + (b1 - a1) * dx
                    let value = top + (bottom - top) * dy
                    to[c] = value <= 0 ? 0 : (value >= 255 ? 255 : UInt8(value))
                }
            }
        }
    }

    @inline(__always)
    private static func cubic(_ v1: Double, _ v2: Double, _ v3: Double, _ v4: Double, _ d: Double) -> Double {
        let p1 = v2, p2 = -v1 + v3, p3 = 2 * (v1 - v2) + v3 - v4, p4 = -v1 + v2 - v3 + v4
        return p1 + d * (p2 + d * (p3 + d * p4))
    }

    /// Bicubic with a = −1 on edge-clamped 4×4 neighbourhoods; results clamp and truncate.
    func bicubic(_ m: AffineMatrix) {
        let w = Double(width), h = Double(height), channels = self.channels, rowBytes = width * channels
        for y in 0..<outHeight {
            let cy = Double(y) + 0.5
            for x in 0..<outWidth {
                let cx = Double(x) + 0.5
                var sx = m.a * cx + m.b * cy + m.c, sy = m.d * cx + m.e * cy + m.f
                guard sx >= 0 && sx < w && sy >= 0 && sy < h else { continue }
                sx -= 0.5
                sy -= 0.5
                let fx = sx.rounded(.down), fy = sy.rounded(.down)
                let dx = sx - fx, dy = sy - fy
                let ix = Int(fx) - 1, iy = Int(fy) - 1
                let x0 = min(max(ix, 0), width - 1) * channels, x1 = min(max(ix + 1, 0), width - 1) * channels
                let x2 = min(max(ix + 2, 0), width - 1) * channels, x3 = min(max(ix + 3, 0), width - 1) * channels
                let r0 = input + min(max(iy, 0), height - 1) * rowBytes, r1 = input + min(max(iy + 1, 0), height - 1) * rowBytes
                let r2 = input + min(max(iy + 2, 0), height - 1) * rowBytes
                let r3 = input + min(max(iy + 3, 0), height - 1) * rowBytes
                let to = output + (y * outWidth + x) * channels
                for c in 0..<channels {
                    let v0 = Self.cubic(Double(r0[x0 + c]), Double(r0[x1 + c]), Double(r0[x2 + c]), Double(r0[x3 + c]), dx)
                    let v1 = Self.cubic(Double(r1[x0 + c]), Double(r1[x1 + c]), Double(r1[x2 + c]), Double(r1[x3 + c]), dx)
                    let v2 = Self.cubic(Double(r2[x0 + c]), Double(r2[x1 + c]), Double(r2[x2 + c]), Double(r2[x3 + c]), dx)
                    let v3 = Self.cubic(Double(r3[x0 + c]), Double(r3[x1 + c]), Double(r3[x2 + c]), Double(r3[x3 + c]), dx)
                    let value = Self.cubic(v0, v1, v2, v3, dy)
                    to[c] = value <= 0 ? 0 : (value >= 255 ? 255 : UInt8(value))
                }
            }
        }
    }
}
