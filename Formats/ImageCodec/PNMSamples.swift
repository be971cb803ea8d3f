/// Reads PNM sample data into 8-bit samples (one per band), with Pillow's scaling and clamping.
enum PNMSamples {
    /// Pillow's rescaling `round(value / maxval * outMax)` with Python's round-half-even, then (for gray with
    /// maxval > 255, which Pillow holds as 32-bit `I`) the clamp to 255 that `convert` applies.
    @inline(__always)
    static func scale(_ value: Int, maxValue: Int, wideGray: Bool) -> UInt8 {
        if maxValue == 255 { return UInt8(value) }
        if wideGray && maxValue == 65535 { return UInt8(min(value, 255)) }
        let outMax = wideGray ? 65535.0 : 255.0
        let scaled = (Double(value) / Double(maxValue) * outMax).rounded(.toNearestOrEven)
        return UInt8(min(scaled, 255))
    }

    static func truncated(_ got: Int, of total: Int) -> ImageCodecError {
        ImageCodecError(.truncated, format: .pnm, "data ended after \(got) of \(total) samples")
    }

    /// P5/P6: one byte per sample for maxval < 256, else two bytes big-endian.
    static func binary(_ data: UnsafeRawBufferPointer, header: PNMHeader,
                       into target: UnsafeMutableBufferPointer<UInt8>) throws(ImageCodecError) {
        let wide = header.maxValue > 255
        let sampleBytes = wide ? 2 : 1
        guard data.count / sampleBytes >= target.count else { throw truncated(data.count / sampleBytes, of: target.count) }
        let wideGray = wide && header.bands == 1
        if header.maxValue == 255 {
            target.baseAddress!.update(from: data.baseAddress!.assumingMemoryBound(to: UInt8.self), count: target.count)
            return
        }
        for index in 0..<target.count {
            let value = wide ? Int(data[index * 2]) << 8 | Int(data[index * 2 + 1]) : Int(data[index])
            target[index] = scale(value, maxValue: header.maxValue, wideGray: wideGray)
        }
    }

    /// P4: rows padded to whole bytes, MSB first, 1 = black.
    static func binaryBitmap(_ data: UnsafeRawBufferPointer, width: Int, height: Int,
                             into target: UnsafeMutableBufferPointer<UInt8>) throws(ImageCodecError) {
        let rowBytes = (width + 7) / 8
        guard data.count / rowBytes >= height else { throw truncated(data.count / rowBytes * width, of: target.count) }
        for row in 0..<height {
            for column in 0..<width {
                let bit = (data[row * rowBytes + column >> 3] >> (7 - UInt8(column & 7))) & 1
                target[row * width + column] = bit == 1 ? 0 : 255
            }
        }
    }

    /// Visits the ASCII data with comments (`#` to the next CR or LF, inclusive) removed; comments do not separate
    /// tokens, as in Pillow's plain decoder.
    private static func forEachByte(_ data: UnsafeRawBufferPointer, _ body: (UInt8) throws(ImageCodecError) -> Bool)
        throws(ImageCodecError) {
        var position = 0
        while position < data.count {
            let byte = data[position]
            position += 1
            if byte == UInt8(ascii: "#") {
                while position < data.count, data[position] != 0x0A, data[position] != 0x0D { position += 1 }
                position += 1
                continue
            }
            if try !body(byte) { return }
        }
    }

    /// P1: every non-whitespace character is one pixel, `0` (white) or `1` (black).
    static func plainBitmap(_ data: UnsafeRawBufferPointer,
                            into target: UnsafeMutableBufferPointer<UInt8>) throws(ImageCodecError) {
        var filled = 0
        try forEachByte(data) { (byte) throws(ImageCodecError) -> Bool in
            if PNMHeader.isWhitespace(byte) { return true }
            guard byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1") else {
                throw ImageCodecError(.corrupt, format: .pnm, "invalid P1 character \(byte)")
            }
            if filled < target.count {
                target[filled] = byte == UInt8(ascii: "1") ? 0 : 255
                filled += 1
            }
            return true
        }
        guard filled == target.count else { throw truncated(filled, of: target.count) }
    }

    /// P2/P3: whitespace-separated decimal samples, each at most 10 characters and at most maxval.
    static func plain(_ data: UnsafeRawBufferPointer, header: PNMHeader,
                      into target: UnsafeMutableBufferPointer<UInt8>) throws(ImageCodecError) {
        let wideGray = header.maxValue > 255 && header.bands == 1
        var filled = 0
        var token: [UInt8] = []
        func finish() throws(ImageCodecError) {
            defer { token.removeAll(keepingCapacity: true) }
            guard token.count <= 10, let value = PNMHeader.integer(token) else {
                throw ImageCodecError(.corrupt, format: .pnm, "bad sample \"\(String(decoding: token.prefix(11), as: UTF8.self))\"")
            }
            guard value >= 0 && value <= header.maxValue else {
                throw ImageCodecError(.corrupt, format: .pnm, "sample \(value) is outside 0…\(header.maxValue)")
            }
            target[filled] = scale(value, maxValue: header.maxValue, wideGray: wideGray)
            filled += 1
        }
        try forEachByte(data) { (byte) throws(ImageCodecError) -> Bool in
            if PNMHeader.isWhitespace(byte) {
                if !token.isEmpty { try finish() }
            } else {
                token.append(byte)
                if token.count > 10 {
                    throw ImageCodecError(.corrupt, format: .pnm, "sample token longer than 10 characters")
                }
            }
            return filled < target.count
        }
        if !token.isEmpty && filled < target.count { try finish() }
        guard filled == target.count else { throw truncated(filled, of: target.count) }
    }
}
