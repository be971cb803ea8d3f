import CacheShard

/// The merged, compact, immutable index of every committed record in a cache directory:
/// 40 bytes per record plus a 4-byte open-addressing slot table (load ≤ 0.7) plus the key bytes.
final class StoreIndex: Sendable {
    /// One record, packed.
    struct Record: Sendable {
        var hash: UInt64
        var digestPrefix: UInt64
        var offset: UInt64
        var keyStart: UInt32
        var length: UInt32
        var keyLength: UInt16
        var shard: UInt16
        var variantCount: UInt16
        var fingerprint: UInt16
    }

    let records: [Record]
    let slots: [UInt32]  // record number + 1; 0 = empty
    let keyBytes: [UInt8]
    let fingerprints: [String]
    let fingerprintNumbers: [String: UInt16]
    /// Records seen more than once (same key, digest and fingerprint in several shards); the first shard wins.
    let duplicates: Int

    /// Bytes held by the index structures, keys included.
    var memoryBytes: Int {
        records.capacity * MemoryLayout<Record>.stride + slots.capacity * 4 + keyBytes.capacity
    }

    /// Builds the index from each shard's entries (shard order decides which duplicate wins).
    /// - Parameter shards: Per shard, its index entries.
    /// - Throws: `.invalidArgument` past 65,535 shards or fingerprints.
    init(shards: [[IndexEntry]]) throws(CacheError) {
        guard shards.count <= Int(UInt16.max) else { throw CacheError(.invalidArgument, "more than 65,535 shards in one cache") }
        let total = shards.reduce(0) { $0 + $1.count }
        var records: [Record] = []
        records.reserveCapacity(total)
        var keyBytes: [UInt8] = []
        keyBytes.reserveCapacity(shards.reduce(0) { $0 + $1.reduce(0) { $0 + $1.key.utf8.count } })
        var fingerprints: [String] = []
        var numbers: [String: UInt16] = [:]
        var capacity = 16
        while Double(total) > Double(capacity) * 0.7 { capacity *= 2 }
        var slots = [UInt32](repeating: 0, count: capacity)
        var duplicates = 0
        for (shard, entries) in shards.enumerated() {
            for entry in entries {
                let number: UInt16
                if let known = numbers[entry.fingerprint] {
                    number = known
                } else {
                    guard fingerprints.count < Int(UInt16.max) else {
                        throw CacheError(.invalidArgument, "more than 65,535 distinct fingerprints in one cache")
                    }
                    number = UInt16(fingerprints.count)
                    numbers[entry.fingerprint] = number
                    fingerprints.append(entry.fingerprint)
                }
                let key = Array(entry.key.utf8)
                let digest = entry.sourceDigest.prefix64
                let hash = Self.hash(key: key, digestPrefix: digest, fingerprint: number)
                var slot = Int(hash & UInt64(capacity - 1))
                var duplicate = false
                while slots[slot] != 0 {
                    let existing = records[Int(slots[slot] - 1)]
                    if existing.hash == hash && existing.digestPrefix == digest && existing.fingerprint == number
                        && Self.equal(keyBytes, existing, key) {
                        duplicate = true
                        break
                    }
                    slot = (slot + 1) & (capacity - 1)
                }
                if duplicate {
                    duplicates += 1
                    continue
                }
                records.append(Record(hash: hash, digestPrefix: digest, offset: entry.offset,
                                      keyStart: UInt32(keyBytes.count), length: UInt32(entry.length),
                                      keyLength: UInt16(key.count), shard: UInt16(shard),
                                      variantCount: UInt16(entry.variantCount), fingerprint: number))
                keyBytes.append(contentsOf: key)
                slots[slot] = UInt32(records.count)
            }
        }
        self.records = records
        self.slots = slots
        self.keyBytes = keyBytes
        self.fingerprints = fingerprints
        self.fingerprintNumbers = numbers
        self.duplicates = duplicates
    }

    private static func equal(_ keyBytes: [UInt8], _ record: Record, _ key: [UInt8]) -> Bool {
        guard Int(record.keyLength) == key.count else { return false }
        let start = Int(record.keyStart)
        return keyBytes.withUnsafeBufferPointer { stored in
            key.withUnsafeBufferPointer { probe in
                for index in 0..<probe.count where stored[start + index] != probe[index] { return false }
                return true
            }
        }
    }

    /// 64-bit FNV-1a over the key, mixed with the digest prefix and fingerprint number.
    static func hash(key: [UInt8], digestPrefix: UInt64, fingerprint: UInt16) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash ^= digestPrefix &* 0x9E37_79B9_7F4A_7C15
        hash ^= UInt64(fingerprint) &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 31
        return hash &* 0x94D0_49BB_1331_11EB
    }

    /// Finds a record in O(1).
    /// - Parameters:
    ///   - key: The source sample's key.
    ///   - digest: SHA-256 of the source image.
    ///   - fingerprint: The generator fingerprint.
    /// - Returns: The record number, or `nil`.
    func find(key: String, digest: SourceDigest, fingerprint: String) -> Int? {
        guard let number = fingerprintNumbers[fingerprint] else { return nil }
        let bytes = Array(key.utf8)
        let prefix = digest.prefix64
        let hash = Self.hash(key: bytes, digestPrefix: prefix, fingerprint: number)
        var slot = Int(hash & UInt64(slots.count - 1))
        while slots[slot] != 0 {
            let record = records[Int(slots[slot] - 1)]
            if record.hash == hash && record.digestPrefix == prefix && record.fingerprint == number
                && Self.equal(keyBytes, record, bytes) {
                return Int(slots[slot] - 1)
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    /// The key of record `number`.
    func key(_ number: Int) -> String {
        let record = records[number]
        return String(decoding: keyBytes[Int(record.keyStart)..<Int(record.keyStart) + Int(record.keyLength)], as: UTF8.self)
    }
}
