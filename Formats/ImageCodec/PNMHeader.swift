/// A Netpbm header (`P1`…`P6`, width, height, maxval) read the way Pillow's `PpmImagePlugin` reads it: tokens end at
/// whitespace, `#` comments run to the next CR or LF and may sit anywhere (even inside a token), a token is at most
/// 10 characters, and the pixel data starts right after the single whitespace byte that ends the last token.
struct PNMHeader {
    /// The digit after `P`: 1…6.
    var kind: Int
    var width: Int
    var height: Int
    /// 1 for bitmaps (P1, P4).
    var maxValue: Int
    /// Where the pixel data starts.
    var dataOffset: Int

    /// Whether samples are ASCII tokens (P1, P2, P3).
    var isPlain: Bool { kind <= 3 }
    /// Samples per pixel: 3 for P3/P6, else 1.
    var bands: Int { kind == 3 || kind == 6 ? 3 : 1 }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// Parses the header.
    /// - Parameter bytes: The whole file.
    /// - Throws: `.truncated` when the data ends inside the header, `.corrupt` for a bad magic, token or maxval.
    init(_ bytes: UnsafeRawBufferPointer) throws(ImageCodecError) {
        var position = 0
        var magic: [UInt8] = []
        while magic.count < 6, position < bytes.count {
            let byte = bytes[position]
            position += 1
            if Self.isWhitespace(byte) { break }
            magic.append(byte)
        }
        guard magic.count == 2, magic[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(magic[1]) else {
            throw ImageCodecError(.corrupt, format: .pnm, "not a P1…P6 Netpbm magic number")
        }
        kind = Int(magic[1] - UInt8(ascii: "0"))
        func token() throws(ImageCodecError) -> Int {
            var digits: [UInt8] = []
            while digits.count <= 10 {
                guard position < bytes.count else { break }
                let byte = bytes[position]
                position += 1
                if Self.isWhitespace(byte) {
                    if digits.isEmpty { continue }
                    break
                } else if byte == UInt8(ascii: "#") {
                    while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
                    if position < bytes.count { position += 1 }
                    continue
                }
                digits.append(byte)
            }
            guard !digits.isEmpty else { throw ImageCodecError(.truncated, format: .pnm, "data ended inside the header") }
            guard digits.count <= 10, let value = PNMHeader.integer(digits) else {
                throw ImageCodecError(.corrupt, format: .pnm,
                                      "bad header token \"\(String(decoding: digits.prefix(11), as: UTF8.self))\"")
            }
            return value
        }
        width = try token()
        height = try token()
        maxValue = 1
        if kind != 1 && kind != 4 {
            maxValue = try token()
            guard maxValue > 0 && maxValue < 65536 else {
                throw ImageCodecError(.corrupt, format: .pnm, "maxval \(maxValue) is outside 1…65535")
            }
        }
        dataOffset = position
    }

    /// Parses an optionally signed decimal integer (as Python's `int` does for plain digits).
    static func integer(_ digits: [UInt8]) -> Int? {
        var sign = 1, value = 0
        var rest = digits[...]
        if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            sign = first == UInt8(ascii: "-") ? -1 : 1
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { return nil }
        for digit in rest {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return sign * value
    }
}
