/// How a variant image is stored inside its zstd frame.
public enum VariantCodec: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Raw 8-bit pixels, HWC, row-major (zstd does the compression).
    case raw
    /// A PNG file.
    case png
    /// A JPEG file written at this quality.
    case jpeg(quality: Int)

    /// The on-disk codec number (0 raw, 1 PNG, 2 JPEG).
    public var number: UInt8 {
        switch self {
        case .raw: 0
        case .png: 1
        case .jpeg: 2
        }
    }

    /// `raw`, `png` or `jpeg(q=N)`.
    public var description: String {
        switch self {
        case .raw: "raw"
        case .png: "png"
        case .jpeg(let quality): "jpeg(q=\(quality))"
        }
    }
}

/// One generated image of a source sample, as stored in the cache.
public struct CacheVariant: Sendable, Hashable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Channels (1, 3 or 4).
    public var channels: Int
    /// How `payload` encodes the image.
    public var codec: VariantCodec
    /// The generator seed of this variant.
    public var seed: UInt64
    /// The semantic-consistency score, if one was computed.
    public var score: Float?
    /// The encoded image (raw pixels, PNG or JPEG bytes).
    public var payload: [UInt8]

    /// Creates a variant.
    /// - Parameters:
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    ///   - channels: 1, 3 or 4.
    ///   - codec: How `payload` encodes the image.
    ///   - seed: The generator seed.
    ///   - score: The consistency score, if computed.
    ///   - payload: The encoded image.
    public init(width: Int, height: Int, channels: Int, codec: VariantCodec, seed: UInt64, score: Float? = nil,
                payload: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.codec = codec
        self.seed = seed
        self.score = score
        self.payload = payload
    }
}

/// Everything the cache keeps about one source sample except the variant payloads: identity and provenance.
public struct CacheRecordMeta: Sendable, Hashable {
    /// The source sample's key.
    public var key: String
    /// SHA-256 of the source image's encoded bytes.
    public var sourceDigest: SourceDigest
    /// Identifies the generator, its revision and every setting that changes outputs.
    public var fingerprint: String
    /// Provenance as a UTF-8 JSON object (see SPEC.md for its keys).
    public var provenanceJSON: String
    /// The variants' descriptors, with empty payloads.
    public var variants: [CacheVariant]

    /// Creates a meta record.
    /// - Parameters:
    ///   - key: The source sample's key.
    ///   - sourceDigest: SHA-256 of the source bytes.
    ///   - fingerprint: The generator fingerprint.
    ///   - provenanceJSON: Provenance as JSON.
    ///   - variants: Descriptors (payloads ignored).
    public init(key: String, sourceDigest: SourceDigest, fingerprint: String, provenanceJSON: String,
                variants: [CacheVariant]) {
        self.key = key
        self.sourceDigest = sourceDigest
        self.fingerprint = fingerprint
        self.provenanceJSON = provenanceJSON
        self.variants = variants
    }
}

/// One cache record: a source sample's identity, its provenance and its K generated variants.
public struct CacheRecord: Sendable, Hashable {
    /// Identity, provenance and variant descriptors.
    public var meta: CacheRecordMeta
    /// The variants with their payloads.
    public var variants: [CacheVariant] { meta.variants }

    /// Creates a record.
    /// - Parameters:
    ///   - key: The source sample's key.
    ///   - sourceDigest: SHA-256 of the source image's encoded bytes.
    ///   - fingerprint: The generator fingerprint.
    ///   - provenanceJSON: Provenance as a JSON object.
    ///   - variants: The generated images.
    public init(key: String, sourceDigest: SourceDigest, fingerprint: String, provenanceJSON: String = "{}",
                variants: [CacheVariant]) {
        meta = CacheRecordMeta(key: key, sourceDigest: sourceDigest, fingerprint: fingerprint,
                               provenanceJSON: provenanceJSON, variants: variants)
    }
}
