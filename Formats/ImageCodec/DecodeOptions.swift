/// The pixel layout a decoder produces, defined by what Pillow gives for the same file.
public enum ColorMode: String, Sendable, Codable, CaseIterable {
    /// Three channels, identical to Pillow's `Image.open(f).convert('RGB')`.
    case rgb
    /// One channel, identical to Pillow's `Image.open(f).convert('L')`.
    case gray

    /// Channels per pixel in this mode.
    public var channels: Int { self == .rgb ? 3 : 1 }
}

/// A rectangle in pixel coordinates: columns `x ..< x + width`, rows `y ..< y + height`.
public struct PixelRegion: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a region.
    /// - Parameters:
    ///   - x: Left column.
    ///   - y: Top row.
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// `"x,y,w,h"`, the form the CLI accepts.
    public var description: String { "\(x),\(y),\(width),\(height)" }

    /// Whether the region is non-empty and lies inside a `width × height` image.
    /// - Parameters:
    ///   - imageWidth: The image's width.
    ///   - imageHeight: The image's height.
    /// - Returns: `true` when the region fits.
    public func fits(imageWidth: Int, imageHeight: Int) -> Bool {
        x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= imageWidth && y + height <= imageHeight
    }
}

/// A width and height pair.
public struct PixelSize: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a size.
    /// - Parameters:
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// `"WxH"`, the form the CLI accepts.
    public var description: String { "\(width)x\(height)" }
}

/// How to decode an image.
///
/// The default (no `minimumSize`) is the **exact mode**: pixels identical to Pillow's `convert('RGB')` / `convert('L')`.
/// Setting `minimumSize` selects the **fast mode** for JPEG: the decoder applies the coarsest DCT scale (1/2, 1/4, 1/8) whose
/// output still covers `minimumSize` and plain (box) chroma upsampling, which changes pixels compared with decoding at
/// full size and resizing; a `region` then comes back widened to the iMCU columns that cover it
/// (`DecodedImage.sourceRegion`). Without `minimumSize`, `region` decodes exactly that rectangle (for JPEG: only the
/// rows and iMCU columns that cover it), with the pixels of a full decode.
public struct DecodeOptions: Sendable, Hashable {
    /// Pillow's default decompression-bomb limit: `1024 * 1024 * 1024 / 4 / 3` pixels (≈ 89.5 Mpx).
    public static let pillowMaxPixels = 1024 * 1024 * 1024 / 4 / 3

    /// The output layout.
    public var mode: ColorMode
    /// Images whose declared `width * height` exceeds this are refused before any pixel memory is allocated.
    public var maxPixels: Int
    /// Fast mode: the smallest acceptable output (of `region` if given, else of the whole image); `nil` = full resolution.
    public var minimumSize: PixelSize?
    /// Decode only this rectangle, given in full-resolution coordinates; `nil` = the whole image.
    public var region: PixelRegion?

    /// Creates decode options.
    /// - Parameters:
    ///   - mode: The output layout (default RGB).
    ///   - maxPixels: The decompression-bomb limit (default Pillow's).
    ///   - minimumSize: Fast-mode minimum output size, or `nil` for the exact mode.
    ///   - region: A full-resolution rectangle to decode, or `nil` for the whole image.
    public init(mode: ColorMode = .rgb, maxPixels: Int = DecodeOptions.pillowMaxPixels,
                minimumSize: PixelSize? = nil, region: PixelRegion? = nil) {
        self.mode = mode
        self.maxPixels = maxPixels
        self.minimumSize = minimumSize
        self.region = region
    }
}

/// What a file declares about its image, read without decoding pixels.
public struct ImageInfo: Sendable, Hashable {
    /// The encoded format.
    public var format: ImageFormat
    /// Full-resolution width.
    public var width: Int
    /// Full-resolution height.
    public var height: Int
    /// Channels stored in the file (1 gray, 2 gray+alpha, 3 colour, 4 colour+alpha or CMYK).
    public var storedChannels: Int

    /// Creates an info record.
    /// - Parameters:
    ///   - format: The encoded format.
    ///   - width: Full-resolution width.
    ///   - height: Full-resolution height.
    ///   - storedChannels: Channels stored in the file.
    public init(format: ImageFormat, width: Int, height: Int, storedChannels: Int) {
        self.format = format
        self.width = width
        self.height = height
        self.storedChannels = storedChannels
    }
}

/// A decoded image together with the geometry it was decoded at.
public struct DecodedImage: Sendable, Hashable {
    /// The pixels.
    public var image: Image
    /// The DCT scale denominator used (1 = full resolution, else 2, 4 or 8). Always 1 for formats other than JPEG.
    public var scaleDenominator: Int
    /// The full-resolution rectangle the pixels cover (the whole image when no region was requested).
    /// With scaling, `image` is approximately this rectangle divided by `scaleDenominator`.
    public var sourceRegion: PixelRegion

    /// Creates a decoded image record.
    /// - Parameters:
    ///   - image: The pixels.
    ///   - scaleDenominator: The DCT scale denominator used.
    ///   - sourceRegion: The full-resolution rectangle covered.
    public init(image: Image, scaleDenominator: Int, sourceRegion: PixelRegion) {
        self.image = image
        self.scaleDenominator = scaleDenominator
        self.sourceRegion = sourceRegion
    }
}
