/// Settings of a `TarReader`.
public struct TarReaderOptions: Sendable, Equatable {
    /// The largest regular member the reader loads, in bytes; a larger one throws `.memberTooLarge` before any
    /// memory is allocated for it. Default 1 GiB.
    public var maxMemberSize: Int64
    /// The largest metadata record (GNU long name, PAX header) accepted, in bytes. Default 1 MiB.
    public var maxMetadataSize: Int64
    /// Whether `next()` also returns directories, links, devices, FIFOs and other non-regular members (with empty
    /// data). Default false: only regular files are returned, as WebDataset readers expect.
    public var includesNonRegularMembers: Bool
    /// Whether regular members' data is read into `TarMember.data`. False skips the data (listing, indexing).
    public var loadsData: Bool
    /// Whether the reader consumes the rest of the stream after the end-of-archive marker, so a command feeding it
    /// runs to completion and its exit status is checked. Default true.
    public var drainsAfterEnd: Bool
    /// The size of the reader's buffer in bytes. Default 256 KiB.
    public var bufferSize: Int
    /// Whether the reader gets past a damaged header (bad checksum, malformed field) as GNU tar does ("Skipping to
    /// next header"): it scans forward block by block for the next header whose checksum verifies, throws the
    /// damage as a `TarError` carrying `skippedBytes` and `resumeOffset`, and the next `next()` goes on from that
    /// header. Default false: the damage is an error that ends the archive (Python's `tarfile`, and so webdataset,
    /// stops reading there without an error).
    public var resynchronizes: Bool

    /// Creates options.
    /// - Parameters:
    ///   - maxMemberSize: The largest regular member loaded.
    ///   - maxMetadataSize: The largest GNU long name or PAX record set accepted.
    ///   - includesNonRegularMembers: Whether non-regular members are returned.
    ///   - loadsData: Whether member data is loaded.
    ///   - drainsAfterEnd: Whether the stream is read to its end after the end-of-archive marker.
    ///   - bufferSize: The read-buffer size.
    ///   - resynchronizes: Whether reading goes on after a damaged header, from the next valid one.
    public init(
        maxMemberSize: Int64 = 1 << 30, maxMetadataSize: Int64 = 1 << 20, includesNonRegularMembers: Bool = false,
        loadsData: Bool = true, drainsAfterEnd: Bool = true, bufferSize: Int = 1 << 18, resynchronizes: Bool = false
    ) {
        self.maxMemberSize = maxMemberSize
        self.maxMetadataSize = maxMetadataSize
        self.includesNonRegularMembers = includesNonRegularMembers
        self.loadsData = loadsData
        self.drainsAfterEnd = drainsAfterEnd
        self.bufferSize = bufferSize
        self.resynchronizes = resynchronizes
    }
}
