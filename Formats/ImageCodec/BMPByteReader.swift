/// Bounds-checked little-endian reads; running past the end is `.truncated`.
struct BMPByteReader {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func slice(at offset: Int, count: Int) throws(ImageCodecError) -> UnsafeRawBufferPointer {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw ImageCodecError(.truncated, format: .bmp,
                                  "data ends at byte \(bytes.count), needed \(count) bytes at offset \(offset)")
        }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    func u16(at offset: Int) throws(ImageCodecError) -> UInt16 {
        let part = try slice(at: offset, count: 2)
        return UInt16(part[0]) | UInt16(part[1]) << 8
    }

    func u32(at offset: Int) throws(ImageCodecError) -> UInt32 {
        let part = try slice(at: offset, count: 4)
        return UInt32(part[0]) | UInt32(part[1]) << 8 | UInt32(part[2]) << 16 | UInt32(part[3]) << 24
    }
}
