import ImageCodec

extension Image {
    /// Overwrites a rectangle (torchvision `F.erase`, timm's erasing): with one colour (`values` of 1 or `channels`
    /// bytes) or with a patch (`region.width · region.height · channels` bytes, HWC).
    /// - Parameters:
    ///   - region: The rectangle, inside the image.
    ///   - values: The colour or the patch.
    /// - Returns: The erased image.
    /// - Precondition: the region fits and `values` has one of the three sizes.
    public func erased(_ region: PixelRegion, with values: [UInt8]) -> Image {
        precondition(region.fits(imageWidth: width, imageHeight: height), "erase region \(region) outside \(width)x\(height)")
        let patchBytes = region.width * region.height * channels
        precondition(values.count == 1 || values.count == channels || values.count == patchBytes, "bad erase values")
        let pixel = values.count == patchBytes && patchBytes != channels && patchBytes != 1 ? nil : fillPixel(values)
        var output = pixels
        let channels = self.channels, rowBytes = self.rowBytes, regionRow = region.width * channels
        output.withUnsafeMutableBufferPointer { target in
            values.withUnsafeBufferPointer { source in
                guard let out = target.baseAddress, let patch = source.baseAddress else { return }
                for y in 0..<region.height {
                    let row = out + (region.y + y) * rowBytes + region.x * channels
                    if let pixel {
                        for x in 0..<region.width { for c in 0..<channels { row[x * channels + c] = pixel[c] } }
                    } else {
                        row.update(from: patch + y * regionRow, count: regionRow)
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }
}
