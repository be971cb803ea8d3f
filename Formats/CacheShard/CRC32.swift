import CZlib

/// CRC-32 as zlib, PNG and gzip compute it (polynomial 0xEDB88320).
enum CRC32 {
    /// The checksum of some bytes, optionally continuing an earlier one.
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - initial: A previous checksum to continue, or 0.
    /// - Returns: The checksum.
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing initial: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return initial }
        var crc = UInt(initial)
        var offset = 0
        while offset < bytes.count {  // zlib takes a 32-bit length
            let chunk = min(bytes.count - offset, 1 << 30)
            crc = crc32(crc, base.assumingMemoryBound(to: UInt8.self) + offset, UInt32(chunk))
            offset += chunk
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// The checksum of an array.
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - initial: A previous checksum to continue, or 0.
    /// - Returns: The checksum.
    static func checksum(_ bytes: [UInt8], continuing initial: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: initial) }
    }
}
