/// BMP RLE8/RLE4 decompression with Pillow's semantics: output is a linear run of indices filled row after row
/// (rows in file order, bottom-up unless the height is negative); end-of-line pads the current row with index 0,
/// delta skips pixels (index 0), absolute runs are word-aligned by file offset, runs past a row's end are clipped.
enum BMPRunLength {
    /// Decodes to one index byte per pixel.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - start: Offset of the compressed data.
    ///   - width: Image width.
    ///   - height: Image height.
    ///   - four: RLE4 (nibbles) rather than RLE8.
    /// - Returns: `width * height` indices in file row order.
    /// - Throws: `.truncated` when the data ends before the image is complete, `.corrupt` when an end-of-bitmap
    ///   marker comes early (Pillow refuses both).
    static func decode(_ bytes: UnsafeRawBufferPointer, from start: Int, width: Int, height: Int,
                       four: Bool) throws(ImageCodecError) -> [UInt8] {
        let total = width * height
        var output = [UInt8](repeating: 0, count: total)
        var filled = 0, x = 0
        var position = start
        var endedEarly = false
        let end = bytes.count
        output.withUnsafeMutableBufferPointer { out in
            func byte() -> Int? {
                guard position < end else { return nil }
                defer { position += 1 }
                return Int(bytes[position])
            }
            while filled < total {
                guard start <= end, let count = byte(), let value = byte() else { break }
                if count > 0 {
                    let run = min(count, max(0, width - x), total - filled)
                    for index in 0..<run {
                        out[filled + index] = UInt8(four ? (index % 2 == 0 ? value >> 4 : value & 0x0F) : value)
                    }
                    filled += run
                    x += min(count, max(0, width - x))
                } else if value == 0 {  // end of line
                    if filled % width != 0 { filled = min(total, filled + width - filled % width) }
                    x = 0
                } else if value == 1 {  // end of bitmap
                    endedEarly = true
                    break
                } else if value == 2 {  // delta
                    guard let right = byte(), let up = byte() else { break }
                    filled = min(total, filled + right + up * width)
                    x = filled % width
                } else {  // absolute run of `value` pixels
                    let wanted = min(total - filled, value)
                    let stored = four ? (wanted + 1) / 2 : wanted
                    let available = min(stored, max(0, end - position))
                    if four {
                        for index in 0..<available {
                            let packed = Int(bytes[position + index])
                            out[filled] = UInt8(packed >> 4)
                            filled += 1
                            if index * 2 + 1 < wanted { out[filled] = UInt8(packed & 0x0F); filled += 1 }
                        }
                    } else {
                        for index in 0..<available { out[filled + index] = bytes[position + index] }
                        filled += available
                    }
                    position += available
                    if available < stored || filled == total { break }
                    x += value
                    if position % 2 != 0 { position += 1 }
                }
            }
        }
        guard filled >= total else {
            throw ImageCodecError(endedEarly ? .corrupt : .truncated, format: .bmp,
                                  "run-length data ends after \(filled) of \(total) pixels")
        }
        return output
    }
}
