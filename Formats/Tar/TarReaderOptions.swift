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

    /// Creates options.
    /// - Parameters:
    ///   - maxMemberSize: The largest regular member loaded.
    ///   - maxMetadataSize: The largest GNU long name or PAX record set accepted.
    ///   - includesNonRegularMembers: Whether non-regular members are returned.
    ///   - loadsData: Whether member data is loaded.
    ///   - drainsAfterEnd: Whether the stream is read to its end after the end-of-archive marker.
    ///   - bufferSize: The read-buffer size.
    public init(
        maxMemberSize: Int64 = 1 << 30, maxMetadataSize: Int64 = 1 << 20, includesNonRegularMembers: Bool = false,
        loadsData: Bool = true, drainsAfterEnd: Bool = true, bufferSize: Int = 1 << 18
    ) {
        self.maxMemberSize = maxMemberSize
        self.maxMetadataSize = maxMetadataSize
        self.includesNonRegularMembers = includesNonRegularMembers
        self.loadsData = loadsData
        self.drainsAfterEnd = drainsAfterEnd
        self.bufferSize = bufferSize
    }
}
