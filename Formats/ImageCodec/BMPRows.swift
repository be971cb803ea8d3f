/// Converts stored BMP rows to RGB.
enum BMPRows {
    /// Converts one row to RGB.
    /// - Parameters:
    ///   - source: The stored row (or one byte per pixel of decoded run-length indices).
    ///   - header: Holds the palette.
    ///   - layout: The row's layout.
    ///   - width: Pixels in the row.
    ///   - target: `width * 3` bytes.
    static func convert(_ source: UnsafePointer<UInt8>, header: BMPHeader, layout: BMPHeader.Layout, width: Int,
                        into target: UnsafeMutablePointer<UInt8>) {
        switch layout {
        case .indexed(let bits):
            header.palette.withUnsafeBufferPointer { palette in
                let mask = (1 << bits) - 1
                for index in 0..<width {
                    let bitOffset = index * bits
                    let entry = (Int(source[bitOffset >> 3]) >> (8 - bits - (bitOffset & 7))) & mask
                    target[index * 3] = palette[entry * 3]
                    target[index * 3 + 1] = palette[entry * 3 + 1]
                    target[index * 3 + 2] = palette[entry * 3 + 2]
                }
            }
        case .grayValues(let bits):
            for index in 0..<width {
                let value: UInt8 = bits == 1 ? ((source[index >> 3] >> (7 - UInt8(index & 7))) & 1) * 255 : source[index]
                target[index * 3] = value
                target[index * 3 + 1] = value
                target[index * 3 + 2] = value
            }
        case .packed16(let fiveSixFive):
            for index in 0..<width {
                let word = Int(source[index * 2]) | Int(source[index * 2 + 1]) << 8
                let red = fiveSixFive ? word >> 11 & 31 : word >> 10 & 31
                let green = fiveSixFive ? (word >> 5 & 63) * 255 / 63 : (word >> 5 & 31) * 255 / 31
                target[index * 3] = UInt8(red * 255 / 31)
                target[index * 3 + 1] = UInt8(green)
                target[index * 3 + 2] = UInt8((word & 31) * 255 / 31)
            }
        case .bytes(let size, let red, let green, let blue):
            for index in 0..<width {
                let pixel = source + index * size
                target[index * 3] = pixel[red]
                target[index * 3 + 1] = pixel[green]
                target[index * 3 + 2] = pixel[blue]
            }
        case .runLength:
            preconditionFailure("run-length rows are decoded to indices first")
        }
    }
}
