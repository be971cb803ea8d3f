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

    /// Walks records from `start` while they are complete and intact.
    /// - Parameters:
    ///   - file: The data file.
    ///   - start: The first record's offset.
    ///   - fileSize: The file's size.
    /// - Returns: The good records' entries, the offset just after the last good one, and why the walk stopped
    ///   (`nil` when it reached the end of the file exactly).
    static func walk(_ file: ShardFile, from start: UInt64, fileSize: UInt64) -> (entries: [IndexEntry], end: UInt64, stop: CacheError?) {
        var entries: [IndexEntry] = []
        var offset = start
        while offset < fileSize {
            do throws(CacheError) {
                let found = try record(in: file, at: offset, fileSize: fileSize, checkFrames: true)
                entries.append(found.entry)
                offset += UInt64(found.header.recordLength)
            } catch {
                return (entries, offset, error)
            }
        }
        return (entries, offset, nil)
    }
}
