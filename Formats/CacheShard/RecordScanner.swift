/// Reads and checks records in a data file: the one place that walks records, used by recovery, readers and verify.
enum RecordScanner {
    /// A record found at an offset, with its header and parsed meta.
    struct Found {
        var header: RecordHeader
        var meta: CacheRecordMeta
        var variantLengths: [Int]
        var entry: IndexEntry
    }

    /// Reads the header and meta frame of the record at `offset`, using one read in the common case.
    /// - Parameters:
    ///   - file: The data file.
    ///   - offset: Where the record starts.
    ///   - fileSize: The file's size (reads never pass it).
    ///   - checkFrames: Also read every frame byte and check the record's frame checksum.
    ///   - context: A zstd context to reuse for the meta frame (one per thread), or `nil`.
    /// - Returns: The record's header, meta and index entry.
    /// - Throws: `.truncated` when the record runs past `fileSize`, `.corrupt`/`.tooLarge` for damaged records,
    ///   all located at `offset`.
    static func record(in file: ShardFile, at offset: UInt64, fileSize: UInt64, checkFrames: Bool,
                       context: ZstdFrame.DecompressionContext? = nil) throws(CacheError) -> Found {
        do throws(CacheError) {
            let available = fileSize > offset ? fileSize - offset : 0
            guard available >= 12 else { throw CacheError(.truncated, "record header is incomplete (\(available) bytes left)") }
            var chunk = try file.read(count: Int(min(available, 4096)), at: offset)
            let headerLength = try withCacheBytes(chunk) { (raw) throws(CacheError) -> Int in try RecordHeader.headerLength(prefix: raw) }
            guard UInt64(headerLength) <= available else { throw CacheError(.truncated, "record header is incomplete") }
            if chunk.count < headerLength { chunk = try file.read(count: headerLength, at: offset) }
            let header = try withCacheBytes(chunk) { (raw) throws(CacheError) -> RecordHeader in try RecordHeader.decode(raw) }
            guard UInt64(header.recordLength) <= available else {
                throw CacheError(.truncated, "record of \(header.recordLength) bytes runs past the end of the file (\(available) bytes left)")
            }
            let metaEnd = header.headerLength + header.metaLength
            if checkFrames {
                chunk = try file.read(count: header.recordLength, at: offset)
                let checksum = chunk.withUnsafeBytes {
                    CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[header.headerLength...]))
                }
                guard checksum == header.framesChecksum else { throw CacheError(.corrupt, "record frame checksum mismatch") }
            } else if chunk.count < metaEnd {
                chunk = try file.read(count: metaEnd, at: offset)
            }
            let (meta, lengths) = try withCacheBytes(chunk) { (raw) throws(CacheError) -> (CacheRecordMeta, [Int]) in
                let frame = UnsafeRawBufferPointer(rebasing: raw[header.headerLength..<metaEnd])
                let content = try ZstdFrame.decompress(frame, limit: CacheFormat.maxMetaBytes, context: context)
                return try withCacheBytes(content) { (meta) throws(CacheError) -> (CacheRecordMeta, [Int]) in
                    try RecordCodec.decodeMeta(meta, variantCount: header.variantLengths.count)
                }
            }
            let entry = IndexEntry(offset: offset, length: header.recordLength, variantCount: header.variantLengths.count,
                                   key: meta.key, sourceDigest: meta.sourceDigest, fingerprint: meta.fingerprint)
            return Found(header: header, meta: meta, variantLengths: lengths, entry: entry)
        } catch {
            throw error.located(path: file.path, offset: offset)
        }
    }

    /// What a scan of a data file found.
    struct Scan {
        /// Every intact record, in file order.
        var entries: [IndexEntry]
        /// The damaged ranges skipped between intact records, in file order.
        var damaged: [CacheDamage]
        /// The offset just after the last intact record: what follows it (if anything) is a torn tail.
        var end: UInt64
        /// Why the bytes after `end` are not a record (`nil` when the scan reached the end of the file exactly).
        var tail: CacheError?
    }

    /// Scans records from `start`, keeping every record whose checksums verify: after a record that does not verify,
    /// it resynchronises on the next offset where a record verifies (its magic, header checksum, frame checksum and
    /// meta all check), so damage in the middle costs only the damaged records; a damaged stretch with no intact
    /// record after it is the torn tail.
    /// - Parameters:
    ///   - file: The data file.
    ///   - start: The first record's offset.
    ///   - fileSize: The file's size.
    /// - Returns: The intact records, the damaged ranges between them, and where the torn tail starts.
    /// - Throws: `.io` when the file cannot be read: a read error is never taken for damage, so no caller truncates
    ///   intact records after a transient failure.
    static func scan(_ file: ShardFile, from start: UInt64, fileSize: UInt64) throws(CacheError) -> Scan {
        var result = Scan(entries: [], damaged: [], end: start, tail: nil)
        var offset = start
        while offset < fileSize {
            do throws(CacheError) {
                let found = try record(in: file, at: offset, fileSize: fileSize, checkFrames: true)
                result.entries.append(found.entry)
                offset += UInt64(found.header.recordLength)
                result.end = offset
            } catch {
                if error.kind == .io { throw error }
                guard let next = try nextIntactRecord(in: file, after: offset, fileSize: fileSize) else {
                    result.tail = error
                    return result
                }
                result.damaged.append(CacheDamage(offset: offset, length: next.entry.offset - offset, reason: error))
                result.entries.append(next.entry)
                offset = next.entry.offset + UInt64(next.header.recordLength)
                result.end = offset
            }
        }
        return result
    }

    /// The first record after `offset` that verifies, found by searching for the record magic.
    /// - Parameters:
    ///   - file: The data file.
    ///   - offset: Where the damage starts (the search begins one byte later).
    ///   - fileSize: The file's size.
    /// - Returns: The record, or `nil` when none verifies before the end of the file.
    /// - Throws: `.io` when the file cannot be read.
    static func nextIntactRecord(in file: ShardFile, after offset: UInt64, fileSize: UInt64) throws(CacheError) -> Found? {
        let magic = CacheFormat.recordMagic
        let chunkSize: UInt64 = 1 << 20
        var position = offset + 1
        while position + UInt64(magic.count) <= fileSize {
            let count = Int(min(chunkSize + UInt64(magic.count) - 1, fileSize - position))
            let chunk = try file.read(count: count, at: position)
            var index = 0
            while index + magic.count <= chunk.count {
                if chunk[index] == magic[0], chunk[index + 1] == magic[1], chunk[index + 2] == magic[2], chunk[index + 3] == magic[3] {
                    do throws(CacheError) {
                        return try record(in: file, at: position + UInt64(index), fileSize: fileSize, checkFrames: true)
                    } catch {
                        if error.kind == .io { throw error }
                    }
                }
                index += 1
            }
            position += UInt64(max(1, chunk.count - magic.count + 1))
        }
        return nil
    }
}
