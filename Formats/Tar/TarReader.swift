/// A streaming tar reader: yields the members of an archive one at a time, reading the byte source forward only.
///
/// Reads POSIX ustar (with `prefix`), GNU (`L`/`K` long names, base-256 numbers), PAX (`x` per-file and `g` global
/// records: `path`, `linkpath`, `size`, `mtime`, `uid`, `gid`, `uname`, `gname`) and old V7 headers. See
/// `Formats/Tar/README.md` for exactly what is accepted and rejected.
///
/// ```swift
/// let reader = try TarReader(path: "shard-000.tar.gz")
/// while let member = try reader.next() { print(member.name, member.data.count) }
/// ```
/// After an error, every later `next()` throws the same error, except after a damaged header when
/// `TarReaderOptions.resynchronizes` is set: the reader has then skipped to the next valid header (the error says
/// how far, see `TarResynchronization.swift`) and `next()` goes on from there.
public final class TarReader {
    /// The archive's name used in errors (a path, `pipe:CMD`, or what the caller gave).
    public let archiveName: String?
    /// The reader's settings.
    public let options: TarReaderOptions
    private let input: ArchiveInput
    private let block: UnsafeMutableRawBufferPointer
    private var globalRecords = PAXRecords()
    private var finished = false
    private var failure: TarError?
    /// An error to throw on the next call: the end of the stream inside the padding after a member that was
    /// returned whole, or a source error met while resynchronising.
    private var deferredFailure: TarError?
    /// A valid header found by resynchronising, read but not yet processed.
    private var lookahead: (offset: Int64, header: TarHeader)?
    /// The member whose data is being read, so source errors (decompression, I/O) can name it.
    private var currentName: String?

    /// Creates a reader over an uncompressed tar stream.
    /// - Parameters:
    ///   - source: The tar bytes (wrap it in `DecompressingByteSource` for compressed input).
    ///   - archiveName: A name for error messages.
    ///   - options: Limits and which members to return.
    public init(source: some ByteSource, archiveName: String? = nil, options: TarReaderOptions = TarReaderOptions()) {
        self.archiveName = archiveName
        self.options = options
        input = ArchiveInput(AnyByteSource(source), bufferSize: options.bufferSize)
        block = .allocate(byteCount: TarHeader.blockSize, alignment: 16)
    }

    /// Opens a tar file, decompressing it when it starts with gzip or zstd magic bytes.
    /// - Parameters:
    ///   - path: The file's path (`.tar`, `.tar.gz`, `.tgz`, `.tar.zst` — the content decides, not the name).
    ///   - options: Limits and which members to return.
    /// - Throws: `TarError` when the file cannot be opened or its first bytes cannot be read.
    public convenience init(path: String, options: TarReaderOptions = TarReaderOptions()) throws(TarError) {
        do {
            let source = try DecompressingByteSource(try FileByteSource(path: path))
            self.init(source: source, archiveName: path, options: options)
        } catch {
            throw error.located(archive: path)
        }
    }

    /// Runs a shell command and reads a (possibly compressed) tar stream from its standard output, as `pipe:CMD`.
    /// - Parameters:
    ///   - command: The shell command line.
    ///   - options: Limits and which members to return.
    /// - Throws: `TarError` when the command cannot be started, or fails before producing output.
    public convenience init(command: String, options: TarReaderOptions = TarReaderOptions()) throws(TarError) {
        do {
            let source = try DecompressingByteSource(try CommandByteSource(command: command))
            self.init(source: source, archiveName: "pipe:\(command)", options: options)
        } catch {
            throw error.located(archive: "pipe:\(command)")
        }
    }

    /// Reads a (possibly compressed) tar archive held in memory.
    /// - Parameters:
    ///   - bytes: The archive.
    ///   - archiveName: A name for error messages.
    ///   - options: Limits and which members to return.
    /// - Throws: `TarError` of kind `.decompression` when a decompressor cannot start.
    public convenience init(bytes: [UInt8], archiveName: String? = nil, options: TarReaderOptions = TarReaderOptions()) throws(TarError) {
        let source = try DecompressingByteSource(MemoryByteSource(bytes))
        self.init(source: source, archiveName: archiveName, options: options)
    }

    deinit {
        block.deallocate()
    }

    /// The byte offset in the uncompressed stream up to which the reader has consumed the archive.
    public var offset: Int64 { input.offset }

    /// Reads the next member.
    /// - Returns: The next regular member (or any member when `includesNonRegularMembers`), or nil at the end of the archive.
    /// - Throws: `TarError` naming the member (when known) and the byte offset when the archive is truncated or
    ///   corrupt, a member exceeds the limits, or the source fails. An error with `skippedBytes` set comes from a
    ///   resynchronising reader, which goes on with the next call.
    public func next() throws(TarError) -> TarMember? {
        if let failure { throw failure }
        if let deferred = deferredFailure {
            deferredFailure = nil
            failure = deferred
            throw deferred
        }
        if finished { return nil }
        do {
            return try readMember()
        } catch {
            let located = error.located(archive: archiveName, memberName: currentName, offset: input.offset)
            if located.skippedBytes == nil { failure = located }
            throw located
        }
    }

    /// Reads all remaining members.
    /// - Returns: The members, in archive order.
    /// - Throws: The first `TarError` met.
    public func readAll() throws(TarError) -> [TarMember] {
        var members: [TarMember] = []
        while let member = try next() { members.append(member) }
        return members
    }

    /// The metadata gathered from `L`, `K` and `x` headers for the member that follows them.
    private struct PendingMetadata {
        var longName: String?
        var longLink: String?
        var records = PAXRecords()
        var firstOffset: Int64?
    }

    private func readMember() throws(TarError) -> TarMember? {
        var pending = PendingMetadata()
        while true {
            let pendingName = pending.records["path"] ?? pending.longName
            let headerOffset: Int64
            let header: TarHeader
            if let ahead = lookahead {
                lookahead = nil
                headerOffset = ahead.offset
                header = ahead.header
            } else {
                headerOffset = input.offset
                let got: Int
                do {
                    got = try input.read(into: block)
                } catch {
                    // The source failed (a `pipe:` command cut short): name the member its partial header shows.
                    let partial = UnsafeRawBufferPointer(rebasing: block[..<input.filledBeforeFailure])
                    throw error.located(archive: nil, memberName: pendingName ?? TarHeader.salvagedName(partial))
                }
                if got == 0 || (got == TarHeader.blockSize && TarHeader.isZeroBlock(UnsafeRawBufferPointer(block))) {
                    if got == 0, headerOffset == 0 {
                        throw TarError(.emptyArchive, "empty archive (no bytes)", offset: 0)
                    }
                    if let first = pending.firstOffset {
                        throw TarError(.missingMemberHeader, "metadata header is not followed by a member",
                                       memberName: pendingName, offset: first)
                    }
                    try finish()
                    return nil
                }
                guard got == TarHeader.blockSize else {
                    let partial = UnsafeRawBufferPointer(rebasing: block[..<got])
                    throw TarError(.truncatedHeader, "truncated header (expected 512 bytes, got \(got))",
                                   memberName: pendingName ?? TarHeader.salvagedName(partial), offset: headerOffset)
                }
                do {
                    header = try TarHeader(decoding: UnsafeRawBufferPointer(block))
                } catch {
                    throw damagedHeader(error, at: headerOffset, pendingName: pendingName)
                }
            }
            switch header.typeflag {
            case UInt8(ascii: "L"), UInt8(ascii: "K"):
                let data = try readMetadata(header, offset: headerOffset, what: "GNU long name")
                let text = String(decoding: data.prefix(while: { $0 != 0 }), as: UTF8.self)
                if header.typeflag == UInt8(ascii: "L") { pending.longName = text } else { pending.longLink = text }
                pending.firstOffset = pending.firstOffset ?? headerOffset
            case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "g"):
                let data = try readMetadata(header, offset: headerOffset, what: "pax header")
                let records: PAXRecords
                do {
                    records = try PAXRecords.decode(data)
                } catch {
                    throw error.located(archive: nil, memberName: pendingName, offset: headerOffset)
                }
                if header.typeflag == UInt8(ascii: "g") {
                    globalRecords.merge(records)
                } else {
                    pending.records.merge(records)
                    pending.firstOffset = pending.firstOffset ?? headerOffset
                }
            default:
                let member = try readBody(header, pending: pending, headerOffset: headerOffset)
                pending = PendingMetadata()
                if member.isRegular || options.includesNonRegularMembers { return member }
            }
        }
    }

    /// Reads the data of a metadata header (with padding), within `maxMetadataSize`.
    private func readMetadata(_ header: TarHeader, offset: Int64, what: String) throws(TarError) -> [UInt8] {
        guard header.size <= options.maxMetadataSize else {
            throw TarError(.memberTooLarge, "\(what) of \(header.size) bytes exceeds the limit of \(options.maxMetadataSize)",
                           offset: offset)
        }
        let dataOffset = input.offset
        let data = try readData(count: Int(header.size), name: nil, dataOffset: dataOffset)
        try skipPadding(after: header.size, name: nil, dataOffset: dataOffset)
        return data
    }

    /// Applies the pending metadata to a header, then reads or skips the member's data and padding.
    private func readBody(_ header: TarHeader, pending: PendingMetadata, headerOffset: Int64) throws(TarError) -> TarMember {
        var records = globalRecords
        records.merge(pending.records)
        // An empty PAX value unsets the key (POSIX), so the next source of the name applies.
        let paxPath = records["path"].flatMap { $0.isEmpty ? nil : $0 }
        let paxLink = records["linkpath"].flatMap { $0.isEmpty ? nil : $0 }
        var name = paxPath ?? pending.longName ?? header.name
        var member = TarMember(
            name: name, type: TarMemberType(typeflag: header.typeflag), size: header.size, mode: header.mode,
            uid: header.uid, gid: header.gid, userName: header.userName, groupName: header.groupName,
            modificationTime: header.mtime, linkName: paxLink ?? pending.longLink ?? header.linkName,
            headerOffset: headerOffset, dataOffset: input.offset, paxRecords: records)
        if !records.isEmpty {
            do {
                try Self.apply(records, to: &member)
            } catch {
                throw error.located(archive: nil, memberName: name, offset: headerOffset)
            }
        }
        if member.type == .regular, header.typeflag == 0, name.hasSuffix("/") { member.type = .directory }
        if member.type == .directory {
            while name.count > 1, name.hasSuffix("/") { name.removeLast() }
            member.name = name
        }
        // Only regular files and unknown types carry data; links, directories, devices and FIFOs carry none
        // whatever their size field says.
        let carriesData: Bool
        switch member.type {
        case .regular, .other: carriesData = true
        default: carriesData = false
        }
        guard carriesData else { return member }
        let dataOffset = member.dataOffset
        currentName = name
        defer { currentName = nil }
        if member.type == .regular, options.loadsData {
            guard member.size <= options.maxMemberSize else {
                throw TarError(.memberTooLarge, "member of \(member.size) bytes exceeds the limit of \(options.maxMemberSize)",
                               memberName: name, offset: headerOffset)
            }
            member.data = try readData(count: Int(member.size), name: name, dataOffset: dataOffset)
        } else {
            let skipped = try input.skip(member.size)
            guard skipped == member.size else {
                throw TarError(.truncatedData, "truncated data (expected \(member.size) bytes, got \(skipped))",
                               memberName: name, offset: dataOffset)
            }
        }
        do {
            try skipPadding(after: member.size, name: name, dataOffset: dataOffset)
        } catch {
            // The member is whole: return it, and report the stream ending inside its padding on the next call.
            deferredFailure = error.located(archive: archiveName, memberName: name, offset: dataOffset + member.size)
        }
        return member
    }

    /// Reads exactly `count` bytes into a new array.
    private func readData(count: Int, name: String?, dataOffset: Int64) throws(TarError) -> [UInt8] {
        var failure: TarError?
        var got = 0
        let data = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(TarError) {
                got = try input.read(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
            }
            initialized = got
        }
        if let failure { throw failure.located(archive: nil, memberName: name) }
        guard got == count else {
            throw TarError(.truncatedData, "truncated data (expected \(count) bytes, got \(got))",
                           memberName: name, offset: dataOffset)
        }
        return data
    }

    /// Skips the zero padding that rounds data up to a whole block.
    private func skipPadding(after size: Int64, name: String?, dataOffset: Int64) throws(TarError) {
        let blockSize = Int64(TarHeader.blockSize)
        let padding = (blockSize - size % blockSize) % blockSize
        let skipped = try input.skip(padding)
        guard skipped == padding else {
            throw TarError(.truncatedData, "truncated padding (expected \(padding) bytes, got \(skipped))",
                           memberName: name, offset: dataOffset + size)
        }
    }

    /// Reports a header block that does not decode. Without `resynchronizes` the error ends the archive. With it, the
    /// reader first scans to the next valid header (kept as the lookahead) and records in the error how many bytes it
    /// skipped; when the damaged block still shows that it was a long-name or PAX header, the member it described
    /// (the next header) is skipped with it, as that member lost its name.
    /// - Parameters:
    ///   - error: The decoding error.
    ///   - offset: The damaged block's offset.
    ///   - pendingName: The name given by metadata headers before it, if any.
    /// - Returns: The damage, located, with what the resynchronisation skipped.
    private func damagedHeader(_ error: TarError, at offset: Int64, pendingName: String?) -> TarError {
        let damaged = UnsafeRawBufferPointer(block)
        var damage = error.located(archive: nil, memberName: pendingName ?? TarHeader.salvagedName(damaged), offset: offset)
        guard options.resynchronizes else { return damage }
        let describesNext = TarHeader.looksLikeMemberMetadata(damaged)
        do {
            if let found = try input.nextValidHeader(into: block) {
                if describesNext, !found.header.isMetadata {
                    damage.memberName = found.header.name
                    // The data padded to whole blocks, without overflowing near Int64.max (a size field in
                    // base-256 can say anything).
                    let size = found.header.carriesData ? found.header.size : 0
                    let (length, overflow) = size.addingReportingOverflow((512 - size % 512) % 512)
                    if size >= 0, !overflow, try input.skip(length) == length {
                        damage.resumeOffset = input.offset
                    } else {
                        finished = true
                    }
                } else {
                    damage.resumeOffset = found.offset
                    lookahead = found
                }
            } else {
                finished = true
            }
        } catch {
            deferredFailure = error.located(archive: archiveName, offset: input.offset)
        }
        damage.skippedBytes = (damage.resumeOffset ?? input.offset) - offset
        return damage
    }

    /// Marks the end of the archive and, if asked, reads the stream to its end.
    private func finish() throws(TarError) {
        finished = true
        if options.drainsAfterEnd { try input.drain() }
    }

    /// Applies the PAX records that override header fields.
    private static func apply(_ records: PAXRecords, to member: inout TarMember) throws(TarError) {
        if let size = records["size"] { member.size = try integer(size, key: "size") }
        if let uid = records["uid"] { member.uid = try integer(uid, key: "uid") }
        if let gid = records["gid"] { member.gid = try integer(gid, key: "gid") }
        if let user = records["uname"] { member.userName = user }
        if let group = records["gname"] { member.groupName = group }
        if let mtime = records["mtime"] {
            guard let seconds = Double(mtime), seconds.isFinite, abs(seconds) < 9e18 else {
                throw TarError(.badPAXRecord, "pax mtime is not a number: \"\(mtime)\"")
            }
            member.modificationTime = Int64(seconds.rounded(.down))
        }
    }

    /// Parses a non-negative decimal PAX value.
    private static func integer(_ text: String, key: String) throws(TarError) -> Int64 {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(text) else {
            throw TarError(.badPAXRecord, "pax \(key) is not a non-negative integer: \"\(text)\"")
        }
        return value
    }
}
