import Foundation

/// The sampling loops behind `Image.affineTransformed`: raw buffers of one input and one pre-filled output.
struct AffineGeometry {
    let input: UnsafePointer<UInt8>
    let width: Int, height: Int, channels: Int
    let output: UnsafeMutablePointer<UInt8>
    let outWidth: Int, outHeight: Int
    /// Whether the bilinear and bicubic filters may use the AVX2 kernel (RGB only).
    let useVectorKernel: Bool

    init(input: UnsafePointer<UInt8>, width: Int, height: Int, channels: Int, output: UnsafeMutablePointer<UInt8>,
         outWidth: Int, outHeight: Int, useVectorKernel: Bool = VectorKernelSupport.available) {
        self.useVectorKernel = useVectorKernel
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
}
