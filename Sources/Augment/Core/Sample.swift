import ImageCodec

/// Where a sample came from: enough to find it again and to name it in errors.
public struct SampleSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The shard URL as given (`__url__`), or the ImageFolder root.
    public var url: String
    /// The member names (WebDataset) or the file path (ImageFolder) of the image.
    public var path: String
    /// Position in the dataset's canonical (unshuffled) order, or -1 when unknown.
    public var index: Int

    /// Creates a source record.
    /// - Parameters:
    ///   - url: Shard URL or dataset root.
    ///   - path: Member or file path.
    ///   - index: Canonical position, or -1.
    public init(url: String, path: String, index: Int = -1) {
        self.url = url
        self.path = path
        self.index = index
    }

    /// `url:path`.
    public var description: String { path.isEmpty ? url : "\(url):\(path)" }
}

/// A sample's image: still encoded (so the first geometric operation can ask the decoder for just a region at a
/// reduced scale) or decoded pixels.
public enum SampleImage: Sendable, Hashable {
    /// The encoded file's bytes.
    case encoded([UInt8])
    /// Decoded pixels.
    case decoded(Image)
}

/// How encoded images are decoded.
public enum DecodeMode: String, Sendable, Codable, CaseIterable {
    /// Pixels identical to Pillow's full decode, then operations on pixels (bit-exact against Pillow/torchvision).
    /// A first crop or resized crop of an encoded JPEG decodes only the rows and iMCU columns its region needs (with
    /// the context fancy upsampling reads), which gives the same pixels for less work and memory.
    case exact
    /// The first geometric operation decodes only its region at the coarsest sufficient JPEG DCT scale, with plain
    /// chroma upsampling, and a resize runs its two passes in the cheaper order (faster; pixels differ slightly from
    /// the exact mode: 0.57 levels on average on photographs for the upsampling).
    case fast
}

/// One training example flowing through a pipeline.
public struct Sample: Sendable {
    /// The sample's key (`__key__`, or the file path relative to the ImageFolder root).
    public var key: String
    /// The class index, if known.
    public var label: Int?
    /// The class name (ImageFolder folder, or mapped through a class list), used for prompts.
    public var className: String?
    /// A caption (`.txt` or a JSON field), used for prompts.
    public var caption: String?
    /// Other fields of the sample (JSON members flattened to strings).
    public var metadata: [String: String]
    /// Where it came from.
    public var source: SampleSource
    /// The image, encoded or decoded.
    public var image: SampleImage
    /// Exact or fast decoding for the first geometric operation.
    public var decodeMode: DecodeMode
    /// Decode options (colour mode, pixel limit) used whenever the image is decoded.
    public var decodeOptions: DecodeOptions

    /// Creates a sample.
    /// - Parameters:
    ///   - key: The key.
    ///   - label: The class index, if any.
    ///   - className: The class name, if any.
    ///   - caption: A caption, if any.
    ///   - metadata: Other fields.
    ///   - source: Where it came from.
    ///   - image: The image.
    ///   - decodeMode: Exact (default) or fast decoding.
    ///   - decodeOptions: Colour mode and pixel limit for decoding.
    public init(key: String, label: Int? = nil, className: String? = nil, caption: String? = nil,
                metadata: [String: String] = [:], source: SampleSource, image: SampleImage,
                decodeMode: DecodeMode = .exact, decodeOptions: DecodeOptions = DecodeOptions()) {
        self.key = key
        self.label = label
        self.className = className
        self.caption = caption
        self.metadata = metadata
        self.source = source
        self.image = image
        self.decodeMode = decodeMode
        self.decodeOptions = decodeOptions
    }

    /// The image's size without decoding pixels (from the header when still encoded).
    /// - Returns: Width and height.
    /// - Throws: `AugmentError` when the header cannot be read.
    public func imageSize() throws(AugmentError) -> PixelSize {
        switch image {
        case .decoded(let pixels):
            return PixelSize(width: pixels.width, height: pixels.height)
        case .encoded(let bytes):
            do {
                let info = try ImageDecoder.info(bytes)
                return PixelSize(width: info.width, height: info.height)
            } catch {
                throw AugmentError.decode(error, key: key, source: source)
            }
        }
    }

    /// The decoded pixels, decoding (exactly, in full) and storing them first if still encoded.
    /// - Returns: The pixels.
    /// - Throws: `AugmentError` wrapping the decoder's error.
    @discardableResult
    public mutating func pixels() throws(AugmentError) -> Image {
        switch image {
        case .decoded(let pixels):
            return pixels
        case .encoded(let bytes):
            var options = decodeOptions
            options.region = nil
            options.minimumSize = nil
            do {
                let pixels = try ImageDecoder.decode(bytes, options: options)
                image = .decoded(pixels)
                return pixels
            } catch {
                throw AugmentError.decode(error, key: key, source: source)
            }
        }
    }

    /// The pixels of exactly `region` at full scale: only the region is decoded (in the fast mode libjpeg may return
    /// more columns, which are cut off here, and the pixels carry its plain chroma upsampling; in the exact mode they
    /// are those of the full decode).
    /// - Parameter region: A rectangle inside the image.
    /// - Returns: A `region.width × region.height` image.
    /// - Throws: `AugmentError` wrapping the decoder's error, or for a region outside the image.
    public mutating func pixels(croppedTo region: PixelRegion) throws(AugmentError) -> Image {
        let decoded = try pixels(region: region, minimumSize: PixelSize(width: region.width, height: region.height))
        let covered = decoded.sourceRegion, image = decoded.image
        let inside = PixelRegion(x: region.x - covered.x, y: region.y - covered.y, width: region.width,
                                 height: region.height)
        return inside == PixelRegion(x: 0, y: 0, width: image.width, height: image.height) ? image : image.cropped(to: inside)
    }

    /// Decodes a region, honouring `decodeMode`: in the fast mode the decoder may return the region at a reduced
    /// DCT scale (no smaller than `minimumSize`); in the exact mode it decodes just the region at full scale, with
    /// the pixels of a full decode (for JPEG only the rows down to the region's last and the iMCU columns that cover
    /// it, with one row and column of context for the chroma upsampling; other formats decode in full and crop).
    /// The image stays encoded, so a later full decode still sees the whole file. Already-decoded images are cropped.
    /// - Parameters:
    ///   - region: The full-resolution rectangle wanted.
    ///   - minimumSize: The smallest acceptable output (used in the fast mode only).
    /// - Returns: The pixels of the region, with the scale they came at.
    /// - Throws: `AugmentError` wrapping the decoder's error, or for a region outside the image.
    public mutating func pixels(region: PixelRegion, minimumSize: PixelSize) throws(AugmentError) -> DecodedImage {
        if case .encoded(let bytes) = image {
            var options = decodeOptions
            options.region = region
            options.minimumSize = decodeMode == .fast ? minimumSize : nil
            do {
                return try withTypedBytes(bytes) { (raw) throws(ImageCodecError) -> DecodedImage in
                    try ImageDecoder.decodeWithGeometry(raw, options: options)
                }
            } catch {
                throw AugmentError.decode(error, key: key, source: source)
            }
        }
        let full = try pixels()
        guard region.fits(imageWidth: full.width, imageHeight: full.height) else {
            throw AugmentError(operation: "crop", key: key, source: source,
                               message: "region \(region) is outside the \(full.width)x\(full.height) image")
        }
        let cropped = region == PixelRegion(x: 0, y: 0, width: full.width, height: full.height) ? full : full.cropped(to: region)
        return DecodedImage(image: cropped, scaleDenominator: 1, sourceRegion: region)
    }
}

/// `Array.withUnsafeBytes` for a body with typed throws.
func withTypedBytes<Result>(_ bytes: [UInt8],
                            _ body: (UnsafeRawBufferPointer) throws(ImageCodecError) -> Result) throws(ImageCodecError) -> Result {
    let outcome: Swift.Result<Result, ImageCodecError> = bytes.withUnsafeBytes { raw in
        do throws(ImageCodecError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try outcome.get()
}
