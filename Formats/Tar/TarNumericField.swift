/// Reading and writing the numeric fields of a tar header: octal text, or GNU base-256 for values octal cannot hold.
enum TarNumericField {
    /// Parses a numeric field.
    ///
    /// Octal: optional leading spaces or NULs, octal digits, then NUL or space terminators; an empty field is 0.
    /// Base-256 (GNU): the first byte has its high bit set; bit 6 is the sign and the remaining bits are a big-endian
    /// two's-complement number.
    /// - Parameters:
    ///   - field: The field's bytes.
    ///   - name: The field's name, for the error message.
    /// - Returns: The value.
    /// - Throws: `TarError.Kind.badNumericField` when the field holds other characters or overflows 64 bits.
    static func parse(_ field: UnsafeRawBufferPointer, name: String) throws(TarError) -> Int64 {
        guard let first = field.first else { return 0 }
        if first & 0x80 != 0 {
            var value = Int64(Int8(bitPattern: first << 1) >> 1)
            for byte in field.dropFirst() {
                guard value <= Int64.max >> 8, value >= Int64.min >> 8 else {
                    throw TarError(.badNumericField, "\(name) field overflows 64 bits (base-256)")
                }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var start = 0
        var end = field.count
        if let nul = field.firstIndex(of: 0) { end = nul }
        while start < end, field[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, field[end - 1] == UInt8(ascii: " ") { end -= 1 }
        var value: Int64 = 0
        for index in start..<end {
            let digit = field[index] &- UInt8(ascii: "0")
            guard digit < 8 else {
                throw TarError(.badNumericField, "\(name) field is not octal: \(printable(field))")
            }
            guard value <= (Int64.max - 7) >> 3 else {
                throw TarError(.badNumericField, "\(name) field overflows 64 bits")
            }
            value = value << 3 | Int64(digit)
        }
        return value
    }

    /// Writes `value` as zero-padded octal followed by a NUL, filling `field`.
    /// - Returns: false when the value does not fit (negative, or more digits than `field.count - 1`).
    static func writeOctal(_ value: Int64, into field: UnsafeMutableRawBufferPointer) -> Bool {
        let digits = field.count - 1
        guard value >= 0, digits < 21, value < Int64(1) << (3 * digits) else { return false }
        var remaining = value
        for index in stride(from: digits - 1, through: 0, by: -1) {
            field[index] = UInt8(ascii: "0") + UInt8(remaining & 7)
            remaining >>= 3
        }
        field[digits] = 0
        return true
    }

    /// The field's bytes as escaped text, for error messages.
    static func printable(_ field: UnsafeRawBufferPointer) -> String {
        var text = "\""
        for byte in field {
            if (0x20..<0x7f).contains(byte), byte != UInt8(ascii: "\"") {
                text.append(Character(Unicode.Scalar(byte)))
            } else {
                text += "\\x" + String(byte, radix: 16).leftPadded(to: 2)
            }
        }
        return text + "\""
    }
}

extension String {
    /// The string padded on the left with zeros to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
