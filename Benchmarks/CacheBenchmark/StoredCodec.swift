import CacheShard
import ImageCodec

/// How the benchmark stores a variant in the cache.
enum StoredCodec: CaseIterable {
    /// Raw pixels (zstd level -1, the writer's default for raw variants).
    case raw
    /// PNG, zlib level 6 (zstd level 1 on top, as the writer does for encoded variants).
    case png
    /// JPEG quality 95, 4:2:0 (zstd level 1 on top).
    case jpeg95

    /// The name in tables.
    var label: String {
        switch self {
        case .raw: "raw + zstd -1 (default)"
        case .png: "PNG (zlib 6) + zstd-1"
        case .jpeg95: "JPEG q95 4:2:0 + zstd-1"
        }
    }

    /// A short name for directories and fingerprints.
    var slug: String {
        switch self {
        case .raw: "raw"
        case .png: "png"
        case .jpeg95: "jpeg95"
        }
    }

    /// The codec recorded in the variant descriptor.
    var variantCodec: VariantCodec {
        switch self {
        case .raw: .raw
        case .png: .png
        case .jpeg95: .jpeg(quality: 95)
        }
    }

    /// The variant's payload for an image.
    /// - Parameter image: RGB pixels.
    /// - Returns: Raw pixels, or the encoded file.
    /// - Throws: `ImageCodecError` when encoding fails.
    func payload(_ image: Image) throws -> [UInt8] {
        switch self {
        case .raw: image.pixels
        case .png: try PNGEncoder.encode(image)
        case .jpeg95: try JPEGEncoder.encode(image, quality: 95, subsampling: .s420)
        }
    }
}
