/// Pillow's integer colour conversions (`Convert.c`), reproduced bit for bit so decoders can promise
/// `convert('RGB')` / `convert('L')` equality.
enum PillowConversion {
    /// Pillow's `L24`/`L` luma: `(R*19595 + G*38470 + B*7471 + 0x8000) >> 16`.
    @inline(__always)
    static func luma(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (UInt32(red) &* 19595 &+ UInt32(green) &* 38470 &+ UInt32(blue) &* 7471 &+ 0x8000) >> 16)
    }

    /// Pillow's `MULDIV255(a, b)`: a·b/255 rounded the way Pillow rounds it.
    @inline(__always)
    static func mulDiv255(_ a: Int32, _ b: Int32) -> Int32 {
        let product = a &* b &+ 128
        return ((product >> 8) &+ product) >> 8
    }

    /// Converts interleaved pixels with `sourceChannels` (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) to `mode`,
    /// dropping alpha the way Pillow's `convert` does (no compositing).
    /// - Parameters:
    ///   - source: `pixelCount * sourceChannels` bytes.
    ///   - sourceChannels: 1, 2, 3 or 4.
    ///   - mode: Target layout.
    ///   - target: `pixelCount * mode.channels` bytes.
    ///   - pixelCount: Pixels to convert.
    static func convert(_ source: UnsafePointer<UInt8>, sourceChannels: Int, to mode: ColorMode,
                        into target: UnsafeMutablePointer<UInt8>, pixelCount: Int) {
        switch (sourceChannels, mode) {
        case (1, .gray), (3, .rgb):
            target.update(from: source, count: pixelCount * sourceChannels)
        case (1, .rgb), (2, .rgb):
            for index in 0..<pixelCount {
                let value = source[index * sourceChannels]
                target[index * 3] = value
                target[index * 3 + 1] = value
                target[index * 3 + 2] = value
            }
        case (2, .gray):
            for index in 0..<pixelCount { target[index] = source[index * 2] }
        case (4, .rgb):
            for index in 0..<pixelCount {
                target[index * 3] = source[index * 4]
                target[index * 3 + 1] = source[index * 4 + 1]
                target[index * 3 + 2] = source[index * 4 + 2]
            }
        case (3, .gray), (4, .gray):
            for index in 0..<pixelCount {
                let pixel = source + index * sourceChannels
                target[index] = luma(pixel[0], pixel[1], pixel[2])
            }
        default:
            preconditionFailure("no conversion from \(sourceChannels) channels")
        }
    }

    /// Converts Adobe-inverted CMYK (what libjpeg returns for CMYK/YCCK JPEGs; Pillow's `CMYK;I` raw mode)
    /// to `mode` exactly as Pillow's `cmyk2rgb` (and then `rgb2l` for gray) does.
    /// - Parameters:
    ///   - source: `pixelCount * 4` bytes of inverted CMYK.
    ///   - mode: Target layout.
    ///   - target: `pixelCount * mode.channels` bytes.
    ///   - pixelCount: Pixels to convert.
    static func convertInvertedCMYK(_ source: UnsafePointer<UInt8>, to mode: ColorMode,
                                    into target: UnsafeMutablePointer<UInt8>, pixelCount: Int) {
        for index in 0..<pixelCount {
            let pixel = source + index * 4
            // Pillow unpacks `CMYK;I` as 255 - raw, so K' = 255 - K = raw[3] and C = 255 - raw[0].
            let notBlack = Int32(pixel[3])
            @inline(__always) func channel(_ raw: UInt8) -> UInt8 {
                UInt8(clamping: notBlack - mulDiv255(255 - Int32(raw), notBlack))
            }
            let red = channel(pixel[0]), green = channel(pixel[1]), blue = channel(pixel[2])
            if mode == .rgb {
                target[index * 3] = red
                target[index * 3 + 1] = green
                target[index * 3 + 2] = blue
            } else {
                target[index] = luma(red, green, blue)
            }
        }
    }
}
