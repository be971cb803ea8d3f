/// One member of a tar archive, with every name and size extension (ustar prefix, GNU long names, PAX records) applied.
public struct TarMember: Sendable, Equatable {
    /// The full path: PAX `path`, else a GNU long name, else `prefix/name` (ustar) or `name`.
    /// Directories lose their trailing `/`.
    public var name: String
    /// What the member is.
    public var type: TarMemberType
    /// The size of the member's data in bytes (PAX `size` when present).
    public var size: Int64
    /// The permission bits.
    public var mode: Int64
    /// The owner's numeric id.
    public var uid: Int64
    /// The group's numeric id.
    public var gid: Int64
    /// The owner's user name.
    public var userName: String
    /// The group's name.
    public var groupName: String
    /// The modification time, whole seconds since 1970 (a fractional PAX `mtime` is rounded down).
    public var modificationTime: Int64
    /// The link target for hard and symbolic links (PAX `linkpath`, else a GNU long link name, else the header field).
    public var linkName: String
    /// The byte offset of the member's own header block in the (uncompressed) archive stream. Metadata headers
    /// (GNU long names, PAX) that precede it come earlier.
    public var headerOffset: Int64
    /// The byte offset of the member's data in the (uncompressed) archive stream.
    public var dataOffset: Int64
    /// The member's data: all `size` bytes for a regular file when the reader loads data, otherwise empty.
    public var data: [UInt8]
    /// The PAX records (global then per-file) that applied to this member; empty for plain ustar/GNU members.
    public var paxRecords: PAXRecords

    /// Whether the member is a regular file.
    public var isRegular: Bool { type == .regular }

    /// Creates a member description.
    /// - Parameters:
    ///   - name: The full path.
    ///   - type: What the member is.
    ///   - size: The data size in bytes.
    ///   - mode: Permission bits.
    ///   - uid: Owner id.
    ///   - gid: Group id.
    ///   - userName: Owner name.
    ///   - groupName: Group name.
    ///   - modificationTime: Seconds since 1970.
    ///   - linkName: Link target.
    ///   - headerOffset: Offset of the header block in the stream.
    ///   - dataOffset: Offset of the data in the stream.
    ///   - data: The data, if loaded.
    ///   - paxRecords: The PAX records that applied.
    public init(
        name: String, type: TarMemberType, size: Int64, mode: Int64 = 0o644, uid: Int64 = 0, gid: Int64 = 0,
        userName: String = "", groupName: String = "", modificationTime: Int64 = 0, linkName: String = "",
        headerOffset: Int64 = 0, dataOffset: Int64 = 0, data: [UInt8] = [], paxRecords: PAXRecords = PAXRecords()
    ) {
        self.name = name
        self.type = type
        self.size = size
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.userName = userName
        self.groupName = groupName
        self.modificationTime = modificationTime
        self.linkName = linkName
        self.headerOffset = headerOffset
        self.dataOffset = dataOffset
        self.data = data
        self.paxRecords = paxRecords
    }
}
