/// The encoded image formats this project reads. Recognised from magic bytes, never from file extensions.
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    /// JPEG / JFIF (`FF D8 FF`).
    case jpeg
    /// PNG (`89 50 4E 47 0D 0A 1A 0A`).
    case png
    /// WebP (`RIFF....WEBP`).
    case webp
    /// Windows bitmap (`BM`).
    case bmp
    /// Netpbm PBM/PGM/PPM (`P1`…`P6`).
    case pnm
    /// TIFF, little- or big-endian (`II*\0`, `MM\0*`).
    case tiff

    /// Identifies the format from the first bytes of an encoded image.
    /// - Parameter bytes: The start of the encoded data (12 bytes suffice).
    /// - Returns: The format, or `nil` if no supported format matches.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        func starts(with magic: [UInt8], at offset: Int = 0) -> Bool {
            guard bytes.count >= offset + magic.count else { return false }
            for (index, byte) in magic.enumerated() where bytes[offset + index] != byte { return false }
            return true
        }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(with: Array("RIFF".utf8)) && starts(with: Array("WEBP".utf8), at: 8) { return .webp }
        if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts(with: Array("BM".utf8)) { return .bmp }
        if bytes.count >= 3, bytes[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[1]),
           [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "#")].contains(bytes[2]) {
            return .pnm
        }
        return nil
    }

    /// Identifies the format of an encoded image held in an array.
    /// - Parameter bytes: The encoded data or its first bytes.
    /// - Returns: The format, or `nil` if no supported format matches.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        bytes.withUnsafeBytes { sniff($0) }
    }
}
