import ImageCodec

/// How `Image.padded` fills the border (torchvision `padding_mode`).
public enum PaddingMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// A constant colour (Pillow `ImageOps.expand`).
    case constant
    /// The nearest edge pixel repeated (`numpy.pad(mode="edge")`).
    case edge
    /// Mirrored without repeating the edge (`numpy.pad(mode="reflect")`).
    case reflect
    /// Mirrored with the edge repeated (`numpy.pad(mode="symmetric")`).
    case symmetric
}

extension Image {
    /// torchvision's `F.pad` on a PIL image: adds `left`, `top`, `right`, `bottom` pixels.
    /// - Parameters:
    ///   - left: Columns added on the left (≥ 0).
    ///   - top: Rows added at the top (≥ 0).
    ///   - right: Columns added on the right (≥ 0).
    ///   - bottom: Rows added at the bottom (≥ 0).
    ///   - mode: How the border is filled.
    ///   - fill: The colour for `.constant` (one value, or one per channel).
    /// - Returns: The padded image.
    /// - Precondition: the paddings are non-negative; reflect needs an image of at least 2 pixels on a padded axis.
    public func padded(left: Int, top: Int, right: Int, bottom: Int, mode: PaddingMode = .constant,
                       fill: [UInt8] = [0]) -> Image {
        precondition(left >= 0 && top >= 0 && right >= 0 && bottom >= 0, "negative padding")
        let outWidth = width + left + right, outHeight = height + top + bottom
        if mode == .constant {
            var output = Image(width: outWidth, height: outHeight, channels: channels)
            let fillValues = fillPixel(fill)
            let channels = self.channels, rowBytes = self.rowBytes
            output.pixels.withUnsafeMutableBufferPointer { target in
                guard let out = target.baseAddress else { return }
                Self.fill(target, with: fillValues)
                pixels.withUnsafeBufferPointer { source in
                    guard let input = source.baseAddress else { return }
                    for y in 0..<height {
                        (out + ((y + top) * outWidth + left) * channels).update(from: input + y * rowBytes, count: rowBytes)
                    }
                }
            }
            return output
        }
        precondition(width > 0 && height > 0, "cannot pad an empty image with mode \(mode)")
        let columns = (0..<outWidth).map { Self.paddedIndex($0 - left, extent: width, mode: mode) }
        let rows = (0..<outHeight).map { Self.paddedIndex($0 - top, extent: height, mode: mode) }
        var output = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        let channels = self.channels
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for y in 0..<outHeight {
                    let row = input + rows[y] * width * channels, outRow = out + y * outWidth * channels
                    for x in 0..<outWidth {
                        for c in 0..<channels { outRow[x * channels + c] = row[columns[x] * channels + c] }
                    }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, channels: channels, pixels: output)
    }

    /// The source index of a padded position, as `numpy.pad` computes it (reflections repeat periodically).
    static func paddedIndex(_ position: Int, extent: Int, mode: PaddingMode) -> Int {
        if position >= 0 && position < extent { return position }
        switch mode {
        case .constant, .edge:
            return min(max(position, 0), extent - 1)
        case .reflect:
            if extent == 1 { return 0 }
            let period = 2 * (extent - 1)
            var p = position % period
            if p < 0 { p += period }
            return p < extent ? p : period - p
        case .symmetric:
            let period = 2 * extent
            var p = position % period
            if p < 0 { p += period }
            return p < extent ? p : period - 1 - p
        }
    }

    /// Pillow's `crop((left, top, left + width, top + height))` (torchvision `F.crop`): areas outside the image are 0.
    /// - Parameters:
    ///   - left: The left edge (may be negative).
    ///   - top: The top edge (may be negative).
    ///   - width: The crop's width (≥ 0).
    ///   - height: The crop's height (≥ 0).
    /// - Returns: The crop.
    public func cropped(left: Int, top: Int, width: Int, height: Int) -> Image {
        let region = PixelRegion(x: left, y: top, width: width, height: height)
        if left >= 0 && top >= 0 && left + width <= self.width && top + height <= self.height { return cropped(to: region) }
        var output = Image(width: width, height: height, channels: channels)
        let x0 = max(left, 0), x1 = min(left + width, self.width), y0 = max(top, 0), y1 = min(top + height, self.height)
        guard x1 > x0 && y1 > y0 else { return output }
        let channels = self.channels, count = (x1 - x0) * channels
        pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for y in y0..<y1 {
                    (out + ((y - top) * width + (x0 - left)) * channels).update(from: input + (y * self.width + x0) * channels,
                                                                               count: count)
                }
            }
        }
        return output
    }
}
