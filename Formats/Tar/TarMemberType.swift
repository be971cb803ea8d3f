/// What a tar member is, from its header's typeflag byte.
public enum TarMemberType: Sendable, Hashable, CustomStringConvertible {
    /// A regular file (`'0'`, NUL in old archives, or `'7'` contiguous file).
    case regular
    /// A hard link to an earlier member (`'1'`); `linkName` names it.
    case hardLink
    /// A symbolic link (`'2'`); `linkName` holds the target.
    case symbolicLink
    /// A character device (`'3'`).
    case characterDevice
    /// A block device (`'4'`).
    case blockDevice
    /// A directory (`'5'`, or an old-style regular entry whose name ends in `/`).
    case directory
    /// A FIFO (`'6'`).
    case fifo
    /// Any other typeflag (GNU sparse `'S'`, volume label `'V'`, vendor extensions …), kept raw; its data is skipped.
    case other(UInt8)

    /// Maps a typeflag byte; the metadata flags (`L`, `K`, `x`, `g`) never reach members.
    /// - Parameter typeflag: The header's byte at offset 156.
    public init(typeflag: UInt8) {
        switch typeflag {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): self = .regular
        case UInt8(ascii: "1"): self = .hardLink
        case UInt8(ascii: "2"): self = .symbolicLink
        case UInt8(ascii: "3"): self = .characterDevice
        case UInt8(ascii: "4"): self = .blockDevice
        case UInt8(ascii: "5"): self = .directory
        case UInt8(ascii: "6"): self = .fifo
        default: self = .other(typeflag)
        }
    }

    /// The typeflag this writer uses for the type.
    public var typeflag: UInt8 {
        switch self {
        case .regular: UInt8(ascii: "0")
        case .hardLink: UInt8(ascii: "1")
        case .symbolicLink: UInt8(ascii: "2")
        case .characterDevice: UInt8(ascii: "3")
        case .blockDevice: UInt8(ascii: "4")
        case .directory: UInt8(ascii: "5")
        case .fifo: UInt8(ascii: "6")
        case .other(let flag): flag
        }
    }

    /// A short name: `regular`, `directory`, `symlink`, … or `typeflag 'S'`.
    public var description: String {
        switch self {
        case .regular: "regular"
        case .hardLink: "hard link"
        case .symbolicLink: "symlink"
        case .characterDevice: "character device"
        case .blockDevice: "block device"
        case .directory: "directory"
        case .fifo: "fifo"
        case .other(let flag):
            (0x20..<0x7f).contains(flag) ? "typeflag '\(Character(Unicode.Scalar(flag)))'" : "typeflag \(flag)"
        }
    }
}
