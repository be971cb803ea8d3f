/// A Windows bitmap's file and info headers, read the way Pillow's `BmpImagePlugin` reads them.
struct BMPHeader {
    /// How pixels are stored.
    enum Layout: Equatable {
        /// 1, 4 or 8 bits per pixel indexing `palette` (MSB first).
        case indexed(bits: Int)
        /// A palette that is the identity gray ramp: Pillow takes the stored value itself (mode `L` or `1`).
        case grayValues(bits: Int)
        /// 16 bits, 5-5-5 (`fiveSixFive` false) or 5-6-5, red in the high bits.
        case packed16(fiveSixFive: Bool)
        /// 24 or 32 bits with the byte offsets of red, green and blue inside a pixel.
        case bytes(size: Int, red: Int, green: Int, blue: Int)
        /// RLE8 or RLE4 compressed palette indices.
        case runLength(four: Bool)
    }

    var width: Int
    var height: Int
    var topDown: Bool
    var bits: Int
    var layout: Layout
    /// The palette as RGB triples (256 entries or as many as the file declares, zero-filled past the data).
    var palette: [UInt8]
    /// Where the pixel data starts.
    var pixelOffset: Int
    /// Bytes per stored row of uncompressed data (padded to 4 bytes).
    var stride: Int { ((width * bits + 31) >> 3) & ~3 }
    /// Whether the file declares an alpha channel Pillow keeps (32-bit bitfields with an alpha mask).
    var hasAlpha: Bool

    /// Parses the headers and palette.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - readPalette: Whether to read the palette (not needed for `info`).
    /// - Throws: `.truncated` when a header or the palette is cut short, `.unsupported` for header versions, depths,
    ///   compressions and bitfield layouts Pillow refuses too, `.corrupt` for impossible values.
    init(_ bytes: UnsafeRawBufferPointer, readPalette: Bool = true) throws(ImageCodecError) {
        var reader = BMPByteReader(bytes)
        guard try reader.u16(at: 0) == 0x4D42 else { throw ImageCodecError(.corrupt, format: .bmp, "missing BM signature") }
        var pixelOffset = Int(try reader.u32(at: 10))
        let headerSize = Int(try reader.u32(at: 14))
        var paletteEntrySize = 4
        var compression = 0, colors = 0
        var masks: (red: UInt32, green: UInt32, blue: UInt32, alpha: UInt32)?
        var afterHeader = 14 + headerSize
        switch headerSize {
        case 12:
            width = Int(try reader.u16(at: 18))
            height = Int(try reader.u16(at: 20))
            bits = Int(try reader.u16(at: 24))
            topDown = false
            paletteEntrySize = 3
        case 40, 52, 56, 64, 108, 124:
            width = Int(try reader.u32(at: 18))
            let rawHeight = try reader.u32(at: 22)
            topDown = rawHeight >> 24 == 0xFF
            height = topDown ? Int((UInt64(1) << 32) - UInt64(rawHeight)) : Int(rawHeight)
            bits = Int(try reader.u16(at: 28))
            compression = Int(try reader.u32(at: 30))
            colors = Int(try reader.u32(at: 46))
            if compression == 3 {
                if headerSize >= 52 {
                    masks = (try reader.u32(at: 54), try reader.u32(at: 58), try reader.u32(at: 62),
                             headerSize >= 56 ? try reader.u32(at: 66) : 0)
                } else {
                    masks = (try reader.u32(at: 54), try reader.u32(at: 58), try reader.u32(at: 62), 0)
                    afterHeader += 12
                }
            }
        default:
            throw ImageCodecError(.unsupported, format: .bmp, "unsupported BMP header size \(headerSize)")
        }
        if colors == 0 { colors = bits < 31 ? 1 << bits : 0 }
        // Pillow: an offset pointing right after the header, for a palette image, is taken to skip the palette.
        if pixelOffset == 14 + headerSize && bits <= 8 { pixelOffset += paletteEntrySize * colors }
        self.pixelOffset = pixelOffset
        hasAlpha = false
        palette = []
        layout = .indexed(bits: bits)

        switch (compression, bits) {
        case (0, 1), (0, 4), (0, 8):
            layout = .indexed(bits: bits)
        case (0, 16):
            layout = .packed16(fiveSixFive: false)
        case (0, 24):
            layout = .bytes(size: 3, red: 2, green: 1, blue: 0)
        case (0, 32):
            layout = .bytes(size: 4, red: 2, green: 1, blue: 0)
        case (1, 8):
            layout = .runLength(four: false)
        case (2, 4):
            layout = .runLength(four: true)
        case (3, _):
            layout = try Self.bitfieldLayout(bits: bits, masks: masks!)
            hasAlpha = bits == 32 && masks!.alpha != 0
        default:
            throw ImageCodecError(.unsupported, format: .bmp, "unsupported BMP compression \(compression) at \(bits) bits")
        }
        if bits <= 8 {
            guard colors > 0 && colors <= 65536 else {
                throw ImageCodecError(.unsupported, format: .bmp, "unsupported BMP palette size \(colors)")
            }
            if readPalette {
                try readPaletteEntries(&reader, at: afterHeader, entrySize: paletteEntrySize, colors: colors)
            }
        }
    }

    private mutating func readPaletteEntries(_ reader: inout BMPByteReader, at offset: Int, entrySize: Int,
                                             colors: Int) throws(ImageCodecError) {
        let stored = try reader.slice(at: offset, count: entrySize * colors)
        var entries = [UInt8](repeating: 0, count: max(256, colors) * 3)
        var isGrayRamp = true
        for index in 0..<colors {
            let blue = stored[index * entrySize], green = stored[index * entrySize + 1], red = stored[index * entrySize + 2]
            entries[index * 3] = red
            entries[index * 3 + 1] = green
            entries[index * 3 + 2] = blue
            let expected = colors == 2 ? (index == 0 ? 0 : 255) : index & 0xFF
            if Int(red) != expected || Int(green) != expected || Int(blue) != expected { isGrayRamp = false }
        }
        palette = entries
        guard isGrayRamp else { return }
        // Pillow reads such files as mode "1" (two colours) or "L" and takes the stored bits as values.
        let valueBits = colors <= 2 ? 1 : 8
        switch layout {
        case .indexed(let bits) where bits == valueBits:
            layout = .grayValues(bits: bits)
        case .indexed:
            throw ImageCodecError(.unsupported, format: .bmp,
                                  "a \(bits)-bit BMP with a \(colors)-entry gray palette (Pillow misreads it)")
        case .runLength where colors <= 2:
            throw ImageCodecError(.unsupported, format: .bmp, "run-length BMP with a two-entry gray palette")
        default:
            // Run-length indices into a gray ramp are the gray values themselves, even past the ramp's end.
            for value in 0..<256 {
                palette[value * 3] = UInt8(value)
                palette[value * 3 + 1] = UInt8(value)
                palette[value * 3 + 2] = UInt8(value)
            }
        }
    }

    private static func bitfieldLayout(bits: Int, masks: (red: UInt32, green: UInt32, blue: UInt32, alpha: UInt32))
        throws(ImageCodecError) -> Layout {
        let rgb = [masks.red, masks.green, masks.blue]
        switch bits {
        case 32:
            // The mask sets Pillow accepts, each channel a whole byte; all-zero masks mean BGRA.
            let accepted: [[UInt32]] = [
                [0xFF0000, 0xFF00, 0xFF, 0], [0xFF00_0000, 0xFF0000, 0xFF00, 0], [0xFF00_0000, 0xFF00, 0xFF, 0],
                [0xFF00_0000, 0xFF0000, 0xFF00, 0xFF], [0xFF, 0xFF00, 0xFF0000, 0xFF00_0000],
                [0xFF0000, 0xFF00, 0xFF, 0xFF00_0000], [0xFF00_0000, 0xFF00, 0xFF, 0xFF0000], [0, 0, 0, 0],
            ]
            guard accepted.contains(rgb + [masks.alpha]) else { break }
            if rgb == [0, 0, 0] { return .bytes(size: 4, red: 2, green: 1, blue: 0) }
            func byte(_ mask: UInt32) -> Int { mask.trailingZeroBitCount / 8 }
            return .bytes(size: 4, red: byte(masks.red), green: byte(masks.green), blue: byte(masks.blue))
        case 24 where rgb == [0xFF0000, 0xFF00, 0xFF]:
            return .bytes(size: 3, red: 2, green: 1, blue: 0)
        case 16 where rgb == [0xF800, 0x7E0, 0x1F]:
            return .packed16(fiveSixFive: true)
        case 16 where rgb == [0x7C00, 0x3E0, 0x1F]:
            return .packed16(fiveSixFive: false)
        default:
            break
        }
        throw ImageCodecError(.unsupported, format: .bmp, "unsupported BMP bitfields layout at \(bits) bits")
    }
}
