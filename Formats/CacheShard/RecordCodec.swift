import Foundation

/// Turns records into their on-disk bytes and back (SPEC.md, "Record" and "Meta frame content").
public enum RecordCodec {
    /// Encodes a record: header, meta frame, variant frames.
    /// - Parameters:
    ///   - record: The record (each variant's payload must match its descriptor).
    ///   - level: zstd level of the meta frame.
    ///   - rawLevel: zstd level of raw-pixel variants (PNG/JPEG payloads use level 1: they barely compress).
    /// - Returns: The record's bytes and its header.
    /// - Throws: `.invalidArgument` for inconsistent variants or oversized fields.
    public static func encode(_ record: CacheRecord, level: Int32 = 3,
                              rawLevel: Int32 = -1) throws(CacheError) -> (bytes: [UInt8], header: RecordHeader) {
        let variants = record.variants
        guard variants.count <= CacheFormat.maxVariants else {
            throw CacheError(.invalidArgument, "\(variants.count) variants exceed the limit of \(CacheFormat.maxVariants)")
        }
        for (index, variant) in variants.enumerated() {
            guard [1, 3, 4].contains(variant.channels), variant.width > 0, variant.height > 0,
                  variant.payload.count <= CacheFormat.maxVariantBytes else {
                throw CacheError(.invalidArgument, "variant \(index) of '\(record.meta.key)' has an invalid shape or size")
            }
            if variant.codec == .raw, variant.payload.count != variant.width * variant.height * variant.channels {
                throw CacheError(.invalidArgument, "variant \(index) of '\(record.meta.key)': raw payload has "
                                 + "\(variant.payload.count) bytes, expected \(variant.width * variant.height * variant.channels)")
            }
            if case .jpeg(let quality) = variant.codec, !(1...100).contains(quality) {
                throw CacheError(.invalidArgument, "variant \(index): JPEG quality \(quality) is outside 1...100")
            }
        }
        for (name, text) in [("key", record.meta.key), ("fingerprint", record.meta.fingerprint)] where text.utf8.count > Int(UInt16.max) {
            throw CacheError(.invalidArgument, "\(name) of \(text.utf8.count) bytes exceeds the index limit of 65,535: \(text.prefix(60))…")
        }
        guard (try? JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8))) is [String: Any] else {
            throw CacheError(.invalidArgument, "provenance of '\(record.meta.key)' is not a JSON object")
        }
        let meta = encodeMeta(record.meta)
        guard meta.count <= CacheFormat.maxMetaBytes else {
            throw CacheError(.invalidArgument, "meta of '\(record.meta.key)' is \(meta.count) bytes, above the limit")
        }
        let metaFrame = try withCacheBytes(meta) { (raw) throws(CacheError) -> [UInt8] in try ZstdFrame.compress(raw, level: level) }
        var frames = [metaFrame]
        for variant in variants {
            frames.append(try withCacheBytes(variant.payload) { (raw) throws(CacheError) -> [UInt8] in
                try ZstdFrame.compress(raw, level: variant.codec == .raw ? rawLevel : 1)
            })
        }
        guard metaFrame.count <= CacheFormat.maxMetaBytes else {
            throw CacheError(.invalidArgument, "meta frame of '\(record.meta.key)' compresses to \(metaFrame.count) bytes, above the limit")
        }
        for (index, frame) in frames.dropFirst().enumerated() where frame.count > CacheFormat.maxVariantFrameBytes {
            throw CacheError(.invalidArgument, "variant \(index) of '\(record.meta.key)' compresses to \(frame.count) bytes, above the limit")
        }
        guard frames.reduce(20 + 4 * variants.count, { $0 + $1.count }) <= Int(UInt32.max) else {
            throw CacheError(.invalidArgument, "record '\(record.meta.key)' exceeds 4 GiB, the largest record an index can address")
        }
        var checksum: UInt32 = 0
        for frame in frames { checksum = CRC32.checksum(frame, continuing: checksum) }
        let header = RecordHeader(metaLength: metaFrame.count, variantLengths: frames.dropFirst().map(\.count),
                                  framesChecksum: checksum)
        var bytes = header.encoded
        bytes.reserveCapacity(header.recordLength)
        for frame in frames { bytes.append(contentsOf: frame) }
        return (bytes, header)
    }

    /// The meta frame's content.
    static func encodeMeta(_ meta: CacheRecordMeta) -> [UInt8] {
        var writer = ByteWriter()
        writer.u16(1)
        writer.str32(meta.key)
        writer.raw(meta.sourceDigest.bytes)
        writer.str32(meta.fingerprint)
        writer.str32(meta.provenanceJSON)
        writer.u16(UInt16(meta.variants.count))
        for variant in meta.variants {
            writer.u32(UInt32(variant.width))
            writer.u32(UInt32(variant.height))
            writer.u8(UInt8(variant.channels))
            writer.u8(variant.codec.number)
            if case .jpeg(let quality) = variant.codec { writer.u8(UInt8(quality)) } else { writer.u8(0) }
            writer.u8(0)
            writer.u64(variant.seed)
            writer.u32((variant.score ?? .nan).bitPattern)
            writer.u32(UInt32(variant.payload.count))
        }
        return writer.bytes
    }

    /// Decodes a meta frame's content (payloads of the returned variants are empty; `payload.count` is not kept,
    /// the descriptor's length is returned separately).
    /// - Parameters:
    ///   - content: The decompressed meta frame.
    ///   - variantCount: K from the record header (must agree).
    /// - Returns: The meta and each variant's declared content length.
    /// - Throws: `.corrupt` / `.truncated` for malformed content.
    static func decodeMeta(_ content: UnsafeRawBufferPointer, variantCount: Int) throws(CacheError) -> (CacheRecordMeta, [Int]) {
        var reader = ByteReader(content, what: "meta frame")
        let version = try reader.u16()
        guard version == 1 else { throw CacheError(.corrupt, "meta version \(version) is not supported") }
        let key = try reader.str32()
        let digest = SourceDigest(bytes: try reader.array(32))!
        let fingerprint = try reader.str32()
        let provenance = try reader.str32()
        let count = Int(try reader.u16())
        guard count == variantCount else {
            throw CacheError(.corrupt, "meta lists \(count) variants, the record header \(variantCount)")
        }
        var variants: [CacheVariant] = []
        var lengths: [Int] = []
        for index in 0..<count {
            let width = Int(try reader.u32()), height = Int(try reader.u32())
            let channels = Int(try reader.u8()), codecNumber = try reader.u8(), quality = Int(try reader.u8())
            _ = try reader.u8()
            let seed = try reader.u64()
            let score = Float(bitPattern: try reader.u32())
            let length = Int(try reader.u32())
            let codec: VariantCodec
            switch codecNumber {
            case 0: codec = .raw
            case 1: codec = .png
            case 2 where (1...100).contains(quality): codec = .jpeg(quality: quality)
            default: throw CacheError(.corrupt, "variant \(index) has unknown codec \(codecNumber) (quality \(quality))")
            }
            guard [1, 3, 4].contains(channels), width > 0, height > 0, length <= CacheFormat.maxVariantBytes,
                  codec != .raw || length == width * height * channels else {
                throw CacheError(.corrupt, "variant \(index) descriptor is inconsistent (\(width)x\(height)x\(channels), \(length) bytes)")
            }
            variants.append(CacheVariant(width: width, height: height, channels: channels, codec: codec, seed: seed,
                                         score: score.isNaN ? nil : score, payload: []))
            lengths.append(length)
        }
        guard reader.remaining == 0 else { throw CacheError(.corrupt, "meta frame has \(reader.remaining) trailing bytes") }
        return (CacheRecordMeta(key: key, sourceDigest: digest, fingerprint: fingerprint, provenanceJSON: provenance,
                                variants: variants), lengths)
    }
}
