import CodecShims

/// How one row of raw PNG samples (as `sgid_png_read` leaves them: sub-byte samples unpacked to one byte, 16-bit
/// samples big-endian) becomes Pillow's `convert('RGB')` / `convert('L')` output.
///
/// Pillow 13's rules, checked against it: sub-byte gray is scaled to 0...255 (1-bit ×255, 2-bit ×85, 4-bit ×17);
/// 16-bit gray opens as `I;16` and converting clamps the value to 255; every other 16-bit sample keeps its high byte;
/// alpha is dropped without compositing; palette indices map through PLTE (entries past its end are black) ignoring
/// tRNS; gray to RGB replicates; colour to gray uses `PillowConversion.luma`.
struct PNGSampleLayout {
    /// PNG colour type (0, 2, 3, 4, 6).
    let colorType: Int
    /// Stored bit depth.
    let bitDepth: Int
    /// Stored samples per pixel.
    let channels: Int
    /// 256 palette entries as RGB triples (zero past the file's entries).
    let palette: [UInt8]
    /// Each palette entry's Pillow luma.
    let paletteLuma: [UInt8]

    init(_ header: sgid_png_header) {
        colorType = Int(header.color_type)
        bitDepth = Int(header.bit_depth)
        channels = Int(header.channels)
        var entries = [UInt8](repeating: 0, count: 256 * 3)
        var luma = [UInt8](repeating: 0, count: 256)
        if colorType == 3 {
            withUnsafeBytes(of: header.palette) { raw in
                for index in 0..<(256 * 3) { entries[index] = raw[index] }
            }
            for index in 0..<256 {
                luma[index] = PillowConversion.luma(entries[index * 3], entries[index * 3 + 1], entries[index * 3 + 2])
            }
        }
        palette = entries
        paletteLuma = luma
    }

    /// Whether the raw rows already are the output (8-bit gray for `.gray`, 8-bit RGB for `.rgb`).
    /// - Parameter mode: The output layout.
    /// - Returns: `true` when no conversion is needed.
    func isIdentity(for mode: ColorMode) -> Bool {
        bitDepth == 8 && ((colorType == 0 && mode == .gray) || (colorType == 2 && mode == .rgb))
    }

    /// Converts one row.
    /// - Parameters:
    ///   - source: The raw row.
    ///   - width: Pixels in the row.
    ///   - mode: The output layout.
    ///   - target: `width * mode.channels` bytes.
    func convertRow(_ source: UnsafePointer<UInt8>, width: Int, to mode: ColorMode,
                    into target: UnsafeMutablePointer<UInt8>) {
        switch colorType {
        case 3:
            convertPaletteRow(source, width: width, to: mode, into: target)
        case 0 where bitDepth == 16:
            for index in 0..<width {
                let value = source[index * 2] == 0 ? source[index * 2 + 1] : 255
                store(value, at: index, mode: mode, into: target)
            }
        case 0 where bitDepth < 8:
            let scale: UInt8 = bitDepth == 1 ? 255 : bitDepth == 2 ? 85 : 17
            for index in 0..<width { store(source[index] &* scale, at: index, mode: mode, into: target) }
        default:
            convertDirectRow(source, width: width, to: mode, into: target)
        }
    }

    @inline(__always)
    private func store(_ value: UInt8, at index: Int, mode: ColorMode, into target: UnsafeMutablePointer<UInt8>) {
        if mode == .gray {
            target[index] = value
        } else {
            target[index * 3] = value
            target[index * 3 + 1] = value
            target[index * 3 + 2] = value
        }
    }

    private func convertPaletteRow(_ source: UnsafePointer<UInt8>, width: Int, to mode: ColorMode,
                                   into target: UnsafeMutablePointer<UInt8>) {
        if mode == .gray {
            paletteLuma.withUnsafeBufferPointer { luma in
                for index in 0..<width { target[index] = luma[Int(source[index])] }
            }
        } else {
            palette.withUnsafeBufferPointer { entries in
                for index in 0..<width {
                    let entry = Int(source[index]) * 3
                    target[index * 3] = entries[entry]
                    target[index * 3 + 1] = entries[entry + 1]
                    target[index * 3 + 2] = entries[entry + 2]
                }
            }
        }
    }

    /// 8- or 16-bit gray+alpha, RGB and RGBA (and 8-bit gray): the high byte of each sample, alpha dropped.
    private func convertDirectRow(_ source: UnsafePointer<UInt8>, width: Int, to mode: ColorMode,
                                  into target: UnsafeMutablePointer<UInt8>) {
        let sampleBytes = bitDepth / 8
        let stride = channels * sampleBytes
        let colour = colorType == 2 || colorType == 6
        for index in 0..<width {
            let pixel = source + index * stride
            if !colour {
                store(pixel[0], at: index, mode: mode, into: target)
            } else {
                let red = pixel[0], green = pixel[sampleBytes], blue = pixel[2 * sampleBytes]
                if mode == .gray {
                    target[index] = PillowConversion.luma(red, green, blue)
                } else {
                    target[index * 3] = red
                    target[index * 3 + 1] = green
                    target[index * 3 + 2] = blue
                }
            }
        }
    }
}
