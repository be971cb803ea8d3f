import CacheShard
import Foundation

/// Records with deterministic contents for cache tests.
enum CacheFixtures {
    static func digest(_ seed: Int) -> SourceDigest { SHA256.digest(Array("source-\(seed)".utf8)) }

    /// A record with `variants` raw variants of `width`×`height`×3 whose bytes depend on `seed`.
    static func record(_ seed: Int, variants: Int = 3, width: Int = 16, height: Int = 12,
                       fingerprint: String = "sha256:test-generator") -> CacheRecord {
        var list: [CacheVariant] = []
        for index in 0..<variants {
            var payload = [UInt8](repeating: 0, count: width * height * 3)
            for position in payload.indices { payload[position] = UInt8(truncatingIfNeeded: position &* (seed + 1) &+ index * 31) }
            list.append(CacheVariant(width: width, height: height, channels: 3, codec: .raw, seed: UInt64(seed * 100 + index),
                                     score: index == 0 ? nil : Float(index) / 10, payload: payload))
        }
        let provenance = #"{"model":"tiny-sd","prompt":"a photo of a class \#(seed)","strength":0.5,"guidance":7.5,"steps":4}"#
        return CacheRecord(key: "class\(seed % 5)/image-\(seed)", sourceDigest: digest(seed), fingerprint: fingerprint,
                           provenanceJSON: provenance, variants: list)
    }
}
