import CodecShims

/// How one row of TIFF samples (as libtiff decodes them: native-endian 16-bit samples, packed sub-byte samples,
/// MSB first) becomes Pillow's `convert('RGB')` / `convert('L')` output.
///
/// Pillow's rules: min-is-white gray is inverted; 16-bit gray (`I;16`) is clamped to 255; 16-bit colour keeps the high
/// byte; unassociated extra samples (alpha) are dropped; associated alpha is divided out first (`v * 255 / a`,
/// truncated and clamped, 0 where `a` is 0); palette entries keep the high byte of the 16-bit colormap; CMYK converts
/// as `PillowConversion` does.
struct TIFFSampleLayout {
    enum Kind {
        case bilevel(inverted: Bool)
        case gray8(inverted: Bool)
        case gray16
        case rgb8
        /// RGB with associated (premultiplied) alpha in the fourth sample, which Pillow divides out on load.
        case rgbAssociated8
        /// 16-bit RGB (any unassociated extra samples): Pillow keeps each sample's high byte.
        case rgb16
        case cmyk8
        case palette(bits: Int)
    }

    let kind: Kind
    /// Samples stored per pixel (including extra samples).
    let samples: Int
    /// Palette as RGB triples (palette images only).
    let palette: [UInt8]

    /// Chooses the layout or refuses the file.
    /// - Parameter header: What the directory declares.
    /// - Throws: `.unsupported` for layouts Pillow-identical decoding is not implemented for.
    init(_ header: sgid_tiff_header) throws(ImageCodecError) {
        let bits = Int(header.bits_per_sample), samples = Int(header.samples_per_pixel)
        let photometric = Int(header.photometric), extras = Int(header.extra_samples)
        self.samples = samples
        var palette: [UInt8] = []
        func refuse(_ what: String) -> ImageCodecError {
            ImageCodecError(.unsupported, format: .tiff, "\(what) (photometric \(photometric), \(bits) bits × "
                            + "\(samples) samples, compression \(header.compression)) is not decoded")
        }
        guard header.planar_config == 1 || samples == 1 else { throw refuse("separate colour planes") }
        guard header.sample_format == 1 else { throw refuse("non-unsigned-integer samples") }
        guard header.tiled == 0 || bits >= 8 else { throw refuse("tiled sub-byte samples") }
        let associated = extras > 0 && header.first_extra == 1
        if associated && !(photometric == 2 && bits == 8) { throw refuse("associated (premultiplied) alpha") }
        switch (photometric, bits) {
        case (0, 1) where samples == 1, (1, 1) where samples == 1:
            kind = .bilevel(inverted: photometric == 0)
        case (0, 8) where samples == 1 + extras, (1, 8) where samples == 1 + extras:
            kind = .gray8(inverted: photometric == 0)
        case (1, 16) where samples == 1:
            kind = .gray16
        case (2, 8) where samples >= 3 && samples == 3 + extras, (6, 8) where header.jpeg_rgb != 0 && samples == 3:
            kind = associated ? .rgbAssociated8 : .rgb8
        case (2, 16) where samples >= 3 && samples == 3 + extras:
            kind = .rgb16
        case (5, 8) where samples == 4 + extras:
            kind = .cmyk8
        case (3, 1) where samples == 1, (3, 2) where samples == 1, (3, 4) where samples == 1, (3, 8) where samples == 1:
            kind = .palette(bits: bits)
            palette = [UInt8](repeating: 0, count: 256 * 3)
            withUnsafeBytes(of: header.colormap) { raw in
                let map = raw.bindMemory(to: UInt16.self)
                for index in 0..<256 {
                    for channel in 0..<3 { palette[index * 3 + channel] = UInt8(map[channel * 256 + index] >> 8) }
                }
            }
        default:
            throw refuse("this layout")
        }
        self.palette = palette
    }

    /// Bytes per row libtiff should report for this layout.
    /// - Parameter width: Pixels per row.
    /// - Returns: The row size.
    func rowBytes(width: Int) -> Int {
        switch kind {
        case .bilevel: (width + 7) / 8
        case .palette(let bits): (width * bits + 7) / 8
        case .gray16: width * 2
        case .rgb16: width * samples * 2
        default: width * samples
        }
    }

    @inline(__always)
    private func storeColour(_ red: UInt8, _ green: UInt8, _ blue: UInt8, _ index: Int, _ mode: ColorMode,
                             _ target: UnsafeMutablePointer<UInt8>) {
        if mode == .gray {
            target[index] = PillowConversion.luma(red, green, blue)
        } else {
            target[index * 3] = red
            target[index * 3 + 1] = green
            target[index * 3 + 2] = blue
        }
    }

    /// Converts one row.
    /// - Parameters:
    ///   - source: The decoded row.
    ///   - width: Pixels in the row.
    ///   - mode: The output layout.
    ///   - target: `width * mode.channels` bytes.
    func convertRow(_ source: UnsafePointer<UInt8>, width: Int, to mode: ColorMode,
                    into target: UnsafeMutablePointer<UInt8>) {
        @inline(__always) func store(_ value: UInt8, _ index: Int) {
            if mode == .gray {
                target[index] = value
            } else {
                target[index * 3] = value
                target[index * 3 + 1] = value
                target[index * 3 + 2] = value
            }
        }
        switch kind {
        case .bilevel(let inverted):
            for index in 0..<width {
                let bit = (source[index >> 3] >> (7 - UInt8(index & 7))) & 1
                store((bit == 1) != inverted ? 255 : 0, index)
            }
        case .gray8(let inverted):
            for index in 0..<width {
                let value = source[index * samples]
                store(inverted ? 255 - value : value, index)
            }
        case .gray16:
            let words = UnsafeRawPointer(source)
            for index in 0..<width {
                let value = words.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
                store(UInt8(min(value, 255)), index)
            }
        case .rgb8:
            if samples == 3 {
                PillowConversion.convert(source, sourceChannels: 3, to: mode, into: target, pixelCount: width)
            } else {
                for index in 0..<width {
                    let pixel = source + index * samples
                    if mode == .gray {
                        target[index] = PillowConversion.luma(pixel[0], pixel[1], pixel[2])
                    } else {
                        target[index * 3] = pixel[0]
                        target[index * 3 + 1] = pixel[1]
                        target[index * 3 + 2] = pixel[2]
                    }
                }
            }
        case .rgbAssociated8:
            for index in 0..<width {
                let pixel = source + index * samples
                let alpha = Int(pixel[3])
                @inline(__always) func straight(_ value: UInt8) -> UInt8 {
                    alpha == 0 ? 0 : UInt8(min(255, Int(value) * 255 / alpha))
                }
                storeColour(straight(pixel[0]), straight(pixel[1]), straight(pixel[2]), index, mode, target)
            }
        case .rgb16:
            // libtiff hands over native-endian (little-endian here) samples: the high byte is the second one.
            let high = UInt16(littleEndian: 0x0100) == 0x0100 ? 1 : 0
            for index in 0..<width {
                let pixel = source + index * samples * 2
                storeColour(pixel[high], pixel[2 + high], pixel[4 + high], index, mode, target)
            }
        case .cmyk8:
            // Pillow's cmyk2rgb: with K' = 255 - K, each channel is K' - MULDIV255(ink, K').
            for index in 0..<width {
                let pixel = source + index * samples
                let notBlack = 255 - Int32(pixel[3])
                @inline(__always) func channel(_ ink: UInt8) -> UInt8 {
                    UInt8(clamping: notBlack - PillowConversion.mulDiv255(Int32(ink), notBlack))
                }
                storeColour(channel(pixel[0]), channel(pixel[1]), channel(pixel[2]), index, mode, target)
            }
        case .palette(let bits):
            palette.withUnsafeBufferPointer { entries in
                let mask = (1 << bits) - 1
                for index in 0..<width {
                    let bitOffset = index * bits
                    let entry = (Int(source[bitOffset >> 3]) >> (8 - bits - (bitOffset & 7))) & mask
                    let red = entries[entry * 3], green = entries[entry * 3 + 1], blue = entries[entry * 3 + 2]
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
}
