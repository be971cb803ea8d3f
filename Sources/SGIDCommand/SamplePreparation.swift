import Augment
import ImageCodec
import Loader

/// `sgid shards create --max-side N [--quality Q]`: shrinks each sample's image so its long side is at most `N`.
///
/// The image part is the one the loader reads (the first of `WebDatasetOptions.defaultImageExtensions` present).
/// When its long side exceeds `N` it is decoded as the loader decodes it (Pillow's `convert('RGB')`, or `'L'` for a
/// gray file; EXIF orientation is not applied, as neither the loader nor `convert` applies it), resized to
/// `ThumbnailSize` with Pillow's BICUBIC filter (byte-identical to `Image.resize(size, Image.BICUBIC)`, and so to
/// `Image.thumbnail((N, N), reducing_gap=None)`), and re-encoded in its own format: JPEG at quality `Q` with
/// Pillow's default 4:2:0 subsampling, PNG losslessly. Metadata of the file (EXIF, ICC) is not carried over. The
/// sample's `.json` part records `"original_size"` (`OriginalSizeJSON`). Every other part, and images that fit,
/// that are not JPEG or PNG, or that do not decode, are copied byte for byte.
struct SamplePreparation {
    /// What happened to one sample's image.
    enum Outcome: Sendable {
        /// Resized and re-encoded.
        case resized
        /// Already small enough (or no image part): copied byte for byte.
        case fits
        /// Larger than the bound but in a format we cannot encode: copied byte for byte.
        case notEncodable
        /// Does not decode: copied byte for byte (the loader's `--on-error` decides later).
        case undecodable
    }

    /// The bound on both sides, in pixels.
    let maxSide: Int
    /// JPEG quality of re-encoded JPEGs, 1...100.
    let quality: Int
    /// The resampling filter (Pillow's `thumbnail` default).
    static let filter = ResampleFilter.bicubic

    /// Prepares one sample.
    /// - Parameter members: The sample's tar members (name, bytes).
    /// - Returns: The members to write and what was done.
    /// - Throws: `CommandFailure` naming the sample when its `.json` part cannot take the provenance.
    func prepare(_ members: [(String, [UInt8])]) throws(CommandFailure) -> ([(String, [UInt8])], Outcome) {
        guard let index = Self.imageIndex(members) else { return (members, .fits) }
        let bytes = members[index].1
        guard let info = try? ImageDecoder.info(bytes) else {
            return (members, .undecodable)
        }
        guard let size = ThumbnailSize.fitting(width: info.width, height: info.height, maxSide: maxSide) else {
            return (members, .fits)
        }
        guard info.format == .jpeg || info.format == .png else { return (members, .notEncodable) }
        let options = DecodeOptions(mode: info.storedChannels == 1 ? .gray : .rgb)
        guard let image = try? ImageDecoder.decode(bytes, options: options) else { return (members, .undecodable) }
        let resized = image.resized(to: size, filter: Self.filter)
        var prepared = members
        do throws(ImageCodecError) {
            prepared[index].1 = info.format == .jpeg ? try JPEGEncoder.encode(resized, quality: quality, subsampling: .s420)
                                                     : try PNGEncoder.encode(resized)
        } catch {
            throw CommandFailure("sample \(SampleMembers.key(of: members[index].0)): cannot re-encode its image: \(error)")
        }
        let key = SampleMembers.key(of: members[index].0)
        return (try OriginalSizeJSON.record(in: prepared, key: key, width: info.width, height: info.height), .resized)
    }

    /// The index of the member the loader reads as the image (plain, not gzipped), if any.
    static func imageIndex(_ members: [(String, [UInt8])]) -> Int? {
        for wanted in WebDatasetOptions.defaultImageExtensions {
            if let index = members.firstIndex(where: { SampleMembers.extensionName(of: $0.0) == wanted }) { return index }
        }
        return nil
    }
}
