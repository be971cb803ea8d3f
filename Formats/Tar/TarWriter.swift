/// Writes POSIX ustar archives, adding PAX `x` headers for whatever ustar cannot hold (long or non-ASCII names and
/// links, sizes of 8 GiB and more, out-of-range times and ids). Output is deterministic: the same calls give the
/// same bytes. Python `tarfile` and GNU tar read it.
///
/// ```swift
/// let writer = try TarWriter(path: "shard-000.tar")
/// try writer.addFile("cat/0001.jpg", contents: jpegBytes)
/// try writer.finish()
/// ```
public final class TarWriter<Sink: ByteSink> {
    /// The destination (read `sink.bytes` of a `MemoryByteSink` after `finish()`).
    public private(set) var sink: Sink
    private var finished = false
    /// How many bytes have been written.
    public private(set) var offset: Int64 = 0

    /// Creates a writer that appends to `sink`.
    /// - Parameter sink: The destination.
    public init(sink: Sink) {
        self.sink = sink
    }

    /// Adds a member described by `member`; for a regular file its `data` must hold exactly `size` bytes.
    /// - Parameter member: The member; `headerOffset`, `dataOffset` and `paxRecords` are ignored.
    /// - Throws: `TarError` of kind `.invalidMember` for a bad name, a size that disagrees with the data, or a writer
    ///   already finished; `.io` when writing fails.
    public func add(_ member: TarMember) throws(TarError) {
        var member = member
        if member.type != .regular {
            guard member.data.isEmpty else {
                throw TarError(.invalidMember, "only regular members carry data", memberName: member.name, offset: offset)
            }
            member.size = 0
        }
        guard member.size == Int64(member.data.count) else {
            throw TarError(.invalidMember, "size \(member.size) differs from the \(member.data.count) data bytes",
                           memberName: member.name, offset: offset)
        }
        try writeHeader(member)
        try emit(member.data)
        try writePadding(member.size)
    }

    /// Adds a regular file.
    /// - Parameters:
    ///   - name: The path inside the archive.
    ///   - contents: The file's bytes.
    ///   - mode: Permission bits.
    ///   - modificationTime: Seconds since 1970.
    /// - Throws: `TarError` as `add(_:)` does.
    public func addFile(_ name: String, contents: [UInt8], mode: Int64 = 0o644, modificationTime: Int64 = 0) throws(TarError) {
        try add(TarMember(name: name, type: .regular, size: Int64(contents.count), mode: mode,
                          modificationTime: modificationTime, data: contents))
    }

    /// Adds a regular file whose `size` bytes are read from `source` (for members too large to hold in memory).
    /// - Parameters:
    ///   - name: The path inside the archive.
    ///   - size: The exact number of bytes to copy.
    ///   - source: Where the bytes come from.
    ///   - mode: Permission bits.
    ///   - modificationTime: Seconds since 1970.
    /// - Throws: `TarError` of kind `.truncatedData` when `source` ends early; otherwise as `add(_:)`.
    public func addFile(
        _ name: String, size: Int64, from source: inout some ByteSource, mode: Int64 = 0o644, modificationTime: Int64 = 0
    ) throws(TarError) {
        let member = TarMember(name: name, type: .regular, size: size, mode: mode, modificationTime: modificationTime)
        try writeHeader(member)
        let dataOffset = offset
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        var copied: Int64 = 0
        while copied < size {
            let wanted = Int(min(Int64(chunk.count), size - copied))
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[..<wanted]))
            guard count > 0 else {
                throw TarError(.truncatedData, "source ended after \(copied) of \(size) bytes",
                               memberName: name, offset: dataOffset)
            }
            try emit(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
            copied += Int64(count)
        }
        try writePadding(size)
    }

    /// Adds a directory (written with a trailing `/`).
    /// - Parameters:
    ///   - name: The directory's path.
    ///   - mode: Permission bits.
    ///   - modificationTime: Seconds since 1970.
    /// - Throws: `TarError` as `add(_:)` does.
    public func addDirectory(_ name: String, mode: Int64 = 0o755, modificationTime: Int64 = 0) throws(TarError) {
        try add(TarMember(name: name, type: .directory, size: 0, mode: mode, modificationTime: modificationTime))
    }

    /// Adds a symbolic link.
    /// - Parameters:
    ///   - name: The link's path.
    ///   - target: What it points to.
    ///   - modificationTime: Seconds since 1970.
    /// - Throws: `TarError` as `add(_:)` does.
    public func addSymbolicLink(_ name: String, target: String, modificationTime: Int64 = 0) throws(TarError) {
        try add(TarMember(name: name, type: .symbolicLink, size: 0, mode: 0o777, modificationTime: modificationTime,
                          linkName: target))
    }

    /// Adds a hard link to an earlier member.
    /// - Parameters:
    ///   - name: The link's path.
    ///   - target: The earlier member's path.
    ///   - modificationTime: Seconds since 1970.
    /// - Throws: `TarError` as `add(_:)` does.
    public func addHardLink(_ name: String, target: String, modificationTime: Int64 = 0) throws(TarError) {
        try add(TarMember(name: name, type: .hardLink, size: 0, mode: 0o644, modificationTime: modificationTime,
                          linkName: target))
    }

    /// Writes the end-of-archive marker (two zero blocks) and closes the sink. Later calls do nothing.
    /// - Throws: `TarError` of kind `.io` when writing or closing fails.
    public func finish() throws(TarError) {
        guard !finished else { return }
        let zeros = [UInt8](repeating: 0, count: 1024)
        try emit(zeros)
        finished = true
        try sink.close()
    }

    private func writeHeader(_ member: TarMember) throws(TarError) {
        guard !finished else {
            throw TarError(.invalidMember, "cannot add after finish()", memberName: member.name, offset: offset)
        }
        let header: [UInt8]
        do {
            header = try TarHeaderEncoder.headerBytes(for: member)
        } catch {
            throw error.located(archive: nil, memberName: member.name, offset: offset)
        }
        try emit(header)
    }

    private func writePadding(_ size: Int64) throws(TarError) {
        let count = TarHeaderEncoder.padding(size)
        guard count > 0 else { return }
        let zeros = [UInt8](repeating: 0, count: count)
        try emit(zeros)
    }

    private func emit(_ array: [UInt8]) throws(TarError) {
        var failure: TarError?
        array.withUnsafeBytes { bytes in
            do throws(TarError) {
                try emit(bytes)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws(TarError) {
        guard !bytes.isEmpty else { return }
        try sink.write(bytes)
        offset += Int64(bytes.count)
    }
}

extension TarWriter where Sink == FileByteSink {
    /// Creates (or truncates) a tar file.
    /// - Parameter path: The file's path.
    /// - Throws: `TarError` of kind `.io` when the file cannot be created.
    public convenience init(path: String) throws(TarError) {
        self.init(sink: try FileByteSink(path: path))
    }
}

extension TarWriter where Sink == MemoryByteSink {
    /// Creates a writer that collects the archive in memory (`sink.bytes`).
    public convenience init() {
        self.init(sink: MemoryByteSink())
    }
}
