extension Image {
    /// Copies a rectangle out of the image.
    /// - Parameter region: A rectangle that lies inside the image.
    /// - Returns: The rectangle's pixels as a new image with the same channels.
    /// - Precondition: `region.fits(imageWidth: width, imageHeight: height)`.
    public func cropped(to region: PixelRegion) -> Image {
        precondition(region.fits(imageWidth: width, imageHeight: height), "crop \(region) outside \(width)x\(height)")
        let rowLength = region.width * channels
        var out = [UInt8](repeating: 0, count: region.height * rowLength)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for row in 0..<region.height {
                    let from = ((region.y + row) * width + region.x) * channels
                    let to = row * rowLength
                    (target.baseAddress! + to).update(from: source.baseAddress! + from, count: rowLength)
                }
            }
        }
        return Image(width: region.width, height: region.height, channels: channels, pixels: out)
    }
}
