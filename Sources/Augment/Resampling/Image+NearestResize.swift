import ImageCodec

extension Image {
    /// Pillow's nearest-neighbour resize: its affine scaling path with the matrix `(scaleX, 0, left, 0, scaleY, top)`.
    /// Positions start at `left + scaleX / 2` and advance by `scaleX` in double precision; the source index is the
    /// truncated position (−1, hence black, when negative or past the edge).
    /// - Parameters:
    ///   - size: The output size.
    ///   - box: The source rectangle.
    /// - Returns: The resized image.
    func nearestResized(to size: PixelSize, box: ResizeBox) -> Image {
        let columns = Self.nearestIndices(start: box.left, end: box.right, count: size.width, limit: width)
        let rows = Self.nearestIndices(start: box.top, end: box.bottom, count: size.height, limit: height)
        let channels = self.channels, inRowBytes = rowBytes, outRowBytes = size.width * channels
        // Valid columns are contiguous (positions increase), so the copy runs over that span only.
        let firstColumn = columns.firstIndex { $0 >= 0 } ?? columns.count
        let endColumn = (columns.lastIndex { $0 >= 0 } ?? -1) + 1
        var output = [UInt8](repeating: 0, count: size.height * outRowBytes)
        pixels.withUnsafeBufferPointer { source in
            columns.withUnsafeBufferPointer { table in
                output.withUnsafeMutableBufferPointer { target in
                    guard let input = source.baseAddress, let out = target.baseAddress, firstColumn < endColumn else {
                        return
                    }
                    var previous = -1
                    for (y, sourceRow) in rows.enumerated() where sourceRow >= 0 {
                        let outRow = out + y * outRowBytes
                        if sourceRow == previous {
                            // Upscaling repeats rows: copy the row already built.
                            outRow.update(from: outRow - outRowBytes, count: outRowBytes)
                            continue
                        }
                        previous = sourceRow
                        let inRow = input + sourceRow * inRowBytes
                        switch channels {
                        case 1:
                            for x in firstColumn..<endColumn { outRow[x] = inRow[table[x]] }
                        case 3:
                            for x in firstColumn..<endColumn {
                                let from = inRow + table[x] * 3, to = outRow + x * 3
                                to[0] = from[0]
                                to[1] = from[1]
                                to[2] = from[2]
                            }
                        default:
                            for x in firstColumn..<endColumn {
                                let from = inRow + table[x] * 4, to = outRow + x * 4
                                to[0] = from[0]
                                to[1] = from[1]
                                to[2] = from[2]
                                to[3] = from[3]
                            }
                        }
                    }
                }
            }
        }
        return Image(width: size.width, height: size.height, channels: channels, pixels: output)
    }

    /// Source indices of one axis, or −1 where the position falls outside `0 ..< limit`.
    private static func nearestIndices(start: Float, end: Float, count: Int, limit: Int) -> [Int] {
        let step = Double(end - start) / Double(count)
        var position = Double(start) + step * 0.5
        var indices = [Int](repeating: -1, count: count)
        for index in 0..<count {
            let source = position < 0 ? -1 : Int(position)
            if source < limit { indices[index] = source }
            position += step
        }
        return indices
    }
}
