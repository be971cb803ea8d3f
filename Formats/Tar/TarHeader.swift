/// One 512-byte tar header block, decoded field by field (before GNU long names and PAX records are applied).
///
/// Layout (POSIX ustar, offsets in bytes): name 0/100, mode 100/8, uid 108/8, gid 116/8, size 124/12, mtime 136/12,
/// chksum 148/8, typeflag 156, linkname 157/100, magic 257/6, version 263/2, uname 265/32, gname 297/32,
/// devmajor 329/8, devminor 337/8, prefix 345/155.
struct TarHeader: Sendable, Equatable {
    /// The block size of every tar header and data record.
    static let blockSize = 512

    /// Which header dialect the magic field announces.
    enum Dialect: Sendable, Equatable {
        /// POSIX ustar (`"ustar\0"`), whose `prefix` field extends the name.
        case ustar
        /// GNU (`"ustar  \0"`), whose prefix area holds other fields.
        case gnu
        /// Old Unix V7 (no magic).
        case v7
    }

    /// The name field joined with the ustar prefix (`prefix/name`) when the dialect is ustar.
    var name: String
    /// The permission bits.
    var mode: Int64
    /// The owner's numeric id.
    var uid: Int64
    /// The group's numeric id.
    var gid: Int64
    /// The size of the data that follows, in bytes.
    var size: Int64
    /// The modification time, seconds since 1970.
    var mtime: Int64
    /// The raw typeflag byte.
    var typeflag: UInt8
    /// The link target field.
    var linkName: String
    /// The owner's user name.
    var userName: String
    /// The group's name.
    var groupName: String
    /// The dialect the magic announces.
    var dialect: Dialect

    /// Whether the block is all zeros (an end-of-archive marker).
    static func isZeroBlock(_ block: UnsafeRawBufferPointer) -> Bool {
        var accumulated: UInt64 = 0
        let words = block.count / 8
        for index in 0..<words {
            accumulated |= block.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
        }
        return accumulated == 0
    }

    /// Decodes a header block, verifying its checksum.
    ///
    /// The checksum is accepted when it equals either the unsigned or the signed sum of the block's bytes, with the
    /// checksum field counted as eight spaces (old tars summed signed `char`s).
    /// - Parameter block: Exactly 512 bytes.
    /// - Returns: The decoded header.
    /// - Throws: `TarError.Kind.badChecksum` or `.badNumericField`, without a location (the reader adds it).
    init(decoding block: UnsafeRawBufferPointer) throws(TarError) {
        precondition(block.count == Self.blockSize)
        func field(_ offset: Int, _ length: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: block[offset..<offset + length])
        }
        let stored: Int64
        do {
            stored = try TarNumericField.parse(field(148, 8), name: "checksum")
        } catch {
            throw TarError(.badChecksum, "header checksum field is not a number: \(TarNumericField.printable(field(148, 8)))")
        }
        // Sum every byte, then count the checksum field itself as eight spaces.
        var unsignedSum: Int64 = 8 * 32
        var signedSum: Int64 = 8 * 32
        for (index, byte) in block.enumerated() where index < 148 || index >= 156 {
            unsignedSum &+= Int64(byte)
            signedSum &+= Int64(Int8(bitPattern: byte))
        }
        guard stored == unsignedSum || stored == signedSum else {
            throw TarError(.badChecksum, "header checksum mismatch (stored \(stored), computed \(unsignedSum))")
        }
        let magic = Array(field(257, 8))
        if magic[0..<6] == [0x75, 0x73, 0x74, 0x61, 0x72, 0x00] {  // "ustar\0"
            dialect = .ustar
        } else if magic == [0x75, 0x73, 0x74, 0x61, 0x72, 0x20, 0x20, 0x00] {  // "ustar  \0"
            dialect = .gnu
        } else {
            dialect = .v7
        }
        var name = Self.text(field(0, 100))
        if dialect == .ustar {
            let prefix = Self.text(field(345, 155))
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        self.name = name
        mode = try TarNumericField.parse(field(100, 8), name: "mode")
        uid = try TarNumericField.parse(field(108, 8), name: "uid")
        gid = try TarNumericField.parse(field(116, 8), name: "gid")
        size = try TarNumericField.parse(field(124, 12), name: "size")
        mtime = try TarNumericField.parse(field(136, 12), name: "mtime")
        typeflag = block[156]
        linkName = Self.text(field(157, 100))
        if dialect == .v7 {
            userName = ""
            groupName = ""
        } else {
            userName = Self.text(field(265, 32))
            groupName = Self.text(field(297, 32))
        }
        guard size >= 0 else {
            throw TarError(.badNumericField, "negative size \(size)")
        }
    }

    /// The bytes of a text field up to its first NUL, decoded as UTF-8 (invalid sequences become U+FFFD).
    static func text(_ field: UnsafeRawBufferPointer) -> String {
        let end = field.firstIndex(of: 0) ?? field.count
        return String(decoding: UnsafeRawBufferPointer(rebasing: field[..<end]), as: UTF8.self)
    }
}
