import ImageCodec

extension Image {
    /// Maps every byte through a table (Pillow `point` with a 256-entry list applied to every channel).
    /// - Parameter table: 256 output values, one per input value.
    /// - Returns: The mapped image.
    /// - Precondition: `table.count == 256`.
    public func mapped(through table: [UInt8]) -> Image {
        precondition(table.count == 256, "lookup table has \(table.count) entries, expected 256")
        let count = pixels.count
        let output = table.withUnsafeBufferPointer { lut in
            filledPixels(count: count) { input, out in
                guard let map = lut.baseAddress else { return }
                for index in 0..<count { out[index] = map[Int(input[index])] }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// Maps each channel through its own table (Pillow `point` with a `256 × bands` list).
    /// - Parameter tables: One 256-entry table per channel.
    /// - Returns: The mapped image.
    /// - Precondition: one table of 256 entries per channel.
    public func mapped(throughPerChannel tables: [[UInt8]]) -> Image {
        precondition(tables.count == channels && tables.allSatisfy { $0.count == 256 }, "need one 256-entry table per channel")
        if channels == 1 { return mapped(through: tables[0]) }
        let flat = tables.flatMap { $0 }, channels = self.channels
        let count = pixels.count
        let output = flat.withUnsafeBufferPointer { lut in
            filledPixels(count: count) { input, out in
                guard let map = lut.baseAddress else { return }
                if channels == 3 {
                    let red = map, green = map + 256, blue = map + 512
                    var index = 0
                    while index < count {
                        out[index] = red[Int(input[index])]
                        out[index + 1] = green[Int(input[index + 1])]
                        out[index + 2] = blue[Int(input[index + 2])]
                        index += 3
                    }
                } else {
                    var index = 0
                    while index < count {
                        for c in 0..<channels { out[index + c] = map[c << 8 | Int(input[index + c])] }
                        index += channels
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// The histogram of each channel (Pillow `histogram()`, split per band).
    /// - Returns: `channels` arrays of 256 counts.
    public func channelHistograms() -> [[Int]] {
        var counts = [Int](repeating: 0, count: 256 * channels)
        let channels = self.channels
        pixels.withUnsafeBufferPointer { source in
            counts.withUnsafeMutableBufferPointer { histogram in
                guard let input = source.baseAddress, let bins = histogram.baseAddress else { return }
                if channels == 1 {
                    for index in 0..<source.count { bins[Int(input[index])] &+= 1 }
                    return
                }
                var index = 0
                if channels == 3 {
                    let red = bins, green = bins + 256, blue = bins + 512
                    while index < source.count {
                        red[Int(input[index])] &+= 1
                        green[Int(input[index + 1])] &+= 1
                        blue[Int(input[index + 2])] &+= 1
                        index += 3
                    }
                    return
                }
                while index < source.count {
                    for c in 0..<channels { bins[c << 8 | Int(input[index + c])] &+= 1 }
                    index += channels
                }
            }
        }
        return (0..<channels).map { Array(counts[($0 * 256)..<($0 * 256 + 256)]) }
    }
}
