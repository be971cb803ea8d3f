/// Reads a PNG's IHDR chunk in Swift, without libpng and without touching the image data.
enum PNGHeaderReader {
    /// What IHDR declares.
    struct Header {
        /// Declared width.
        var width: Int
        /// Declared height.
        var height: Int
        /// Bit depth (1, 2, 4, 8, 16).
        var bitDepth: Int
        /// Colour type (0, 2, 3, 4, 6).
        var colorType: Int
        /// Channels stored per pixel, palette counted as 3.
        var storedChannels: Int { [1, 0, 3, 3, 2, 0, 4][colorType] }
    }

    /// Parses the signature and IHDR.
    /// - Parameter bytes: The start of a PNG file (33 bytes suffice).
    /// - Returns: The declared header.
    /// - Throws: `.truncated` when fewer than 33 bytes are present, `.corrupt` for a bad signature, a first chunk
    ///   that is not a 13-byte IHDR, or invalid fields.
    static func read(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) -> Header {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 33 else {
            throw ImageCodecError(bytes.isEmpty ? .empty : .truncated, format: .png,
                                  "data ended at byte \(bytes.count), inside the signature or IHDR")
        }
        for index in 0..<8 where bytes[index] != signature[index] {
            throw ImageCodecError(.corrupt, format: .png, "not a PNG signature")
        }
        func word(_ offset: Int) -> Int {
            Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        }
        guard word(8) == 13, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw ImageCodecError(.corrupt, format: .png, "the first chunk is not a 13-byte IHDR")
        }
        let header = Header(width: word(16), height: word(20), bitDepth: Int(bytes[24]), colorType: Int(bytes[25]))
        let depths: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard header.width > 0, header.height > 0, header.width < 1 << 31, header.height < 1 << 31,
              depths[header.colorType]?.contains(header.bitDepth) == true else {
            throw ImageCodecError(.corrupt, format: .png, "invalid IHDR: \(header.width)x\(header.height), "
                                  + "bit depth \(header.bitDepth), colour type \(header.colorType)")
        }
        return header
    }
}
