/// Deterministic synthetic records, for crash tests, benchmarks and demos that need a cache without a generator.
public enum SyntheticRecords {
    /// The key of synthetic record `index`.
    /// - Parameter index: The record number.
    /// - Returns: `synthetic/NNNNNNNN`.
    public static func key(_ index: Int) -> String {
        let digits = String(index)
        return "synthetic/" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Record `index`: K raw RGB variants whose pixels are a function of (index, variant), so any reader can check them.
    /// - Parameters:
    ///   - index: The record number.
    ///   - variants: K.
    ///   - width: Variant width.
    ///   - height: Variant height.
    ///   - fingerprint: The generator fingerprint to store.
    /// - Returns: The record.
    public static func record(_ index: Int, variants: Int, width: Int, height: Int,
                              fingerprint: String = "sha256:synthetic") -> CacheRecord {
        var list: [CacheVariant] = []
        for variant in 0..<variants {
            let count = width * height * 3
            let payload = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                var state = UInt32(truncatingIfNeeded: index &* 2_654_435_761 &+ variant &* 40_503)
                for position in 0..<count {
                    // Smooth gradient plus a little xorshift noise: compressible like a photograph, never constant.
                    state ^= state << 13; state ^= state >> 17; state ^= state << 5
                    let x = (position / 3) % width, y = position / 3 / width
                    buffer[position] = UInt8(truncatingIfNeeded: x &+ y &* 2 &+ variant &* 40 &+ Int(state & 7))
                }
                initialized = count
            }
            list.append(CacheVariant(width: width, height: height, channels: 3, codec: .raw,
                                     seed: UInt64(index) << 8 | UInt64(variant), payload: payload))
        }
        let provenance = #"{"model":"synthetic","prompt":"synthetic record \#(index)","strength":0.5,"guidance":7.5,"steps":0}"#
        return CacheRecord(key: key(index), sourceDigest: SHA256.digest(Array(key(index).utf8)), fingerprint: fingerprint,
                           provenanceJSON: provenance, variants: list)
    }
}
