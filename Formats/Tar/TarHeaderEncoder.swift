/// Builds the header blocks the writer emits for one member: a ustar header, preceded by a PAX `x` header with its
/// records when a field does not fit ustar (name or link over the ustar limits or not ASCII, size ≥ 8 GiB, mtime
/// outside 0..<8^11, ids ≥ 8^7 = 2097152, user or group names over 32 bytes or not ASCII).
enum TarHeaderEncoder {
    /// The largest value an 11-digit octal field holds, plus one: 8 GiB.
    static let octal11Limit: Int64 = 1 << 33
    /// The largest value a 7-digit octal field holds, plus one.
    static let octal7Limit: Int64 = 1 << 21

    /// The header bytes (a multiple of 512) for `member`; its `data` is not included.
    /// - Throws: `TarError.Kind.invalidMember` for an empty name, a NUL byte in a name, a negative size, or a mode
    ///   that does not fit.
    static func headerBytes(for member: TarMember) throws(TarError) -> [UInt8] {
        var name = member.name
        guard !name.isEmpty else { throw TarError(.invalidMember, "empty member name") }
        guard !name.utf8.contains(0), !member.linkName.utf8.contains(0) else {
            throw TarError(.invalidMember, "member name or link contains a NUL byte", memberName: name)
        }
        guard member.size >= 0 else { throw TarError(.invalidMember, "negative size \(member.size)", memberName: name) }
        guard (0..<octal7Limit).contains(member.mode) else {
            throw TarError(.invalidMember, "mode \(member.mode) does not fit 7 octal digits", memberName: name)
        }
        if member.type == .directory, !name.hasSuffix("/") { name += "/" }

        var records = PAXRecords()
        var fields = UstarFields(name: Array(name.utf8), prefix: [], linkName: Array(member.linkName.utf8))
        if let split = ustarSplit(name) {
            (fields.prefix, fields.name) = split
        } else {
            records.records.append(("path", name))
            fields.name = fallbackName(name)
        }
        if !isASCII(member.linkName) || member.linkName.utf8.count > 100 {
            records.records.append(("linkpath", member.linkName))
            fields.linkName = Array(asciiSanitized(member.linkName).prefix(100))
        }
        var size = member.size
        if size >= octal11Limit {
            records.records.append(("size", String(size)))
            size = 0
        }
        var mtime = member.modificationTime
        if !(0..<octal11Limit).contains(mtime) {
            records.records.append(("mtime", String(mtime)))
            mtime = 0
        }
        var uid = member.uid
        if !(0..<octal7Limit).contains(uid) {
            records.records.append(("uid", String(uid)))
            uid = 0
        }
        var gid = member.gid
        if !(0..<octal7Limit).contains(gid) {
            records.records.append(("gid", String(gid)))
            gid = 0
        }
        var userName = Array(member.userName.utf8)
        if !isASCII(member.userName) || userName.count > 32 {
            records.records.append(("uname", member.userName))
            userName = []
        }
        var groupName = Array(member.groupName.utf8)
        if !isASCII(member.groupName) || groupName.count > 32 {
            records.records.append(("gname", member.groupName))
            groupName = []
        }

        var bytes: [UInt8] = []
        if !records.isEmpty {
            let data = records.encoded()
            let baseName = asciiSanitized(String(name.split(separator: "/").last ?? "member"))
            let paxFields = UstarFields(name: Array(("PaxHeaders/" + String(decoding: baseName.prefix(89), as: UTF8.self)).utf8),
                                        prefix: [], linkName: [])
            bytes += block(paxFields, mode: 0o644, uid: 0, gid: 0, size: Int64(data.count), mtime: mtime,
                           typeflag: UInt8(ascii: "x"), userName: [], groupName: [])
            bytes += data
            bytes += [UInt8](repeating: 0, count: padding(Int64(data.count)))
        }
        bytes += block(fields, mode: member.mode, uid: uid, gid: gid, size: size, mtime: mtime,
                       typeflag: member.type.typeflag, userName: userName, groupName: groupName)
        return bytes
    }

    /// The zero bytes that round `size` up to a whole block.
    static func padding(_ size: Int64) -> Int {
        Int((512 - size % 512) % 512)
    }

    private struct UstarFields {
        var name: [UInt8]
        var prefix: [UInt8]
        var linkName: [UInt8]
    }

    /// One ustar header block; every value must already fit its field.
    private static func block(
        _ fields: UstarFields, mode: Int64, uid: Int64, gid: Int64, size: Int64, mtime: Int64, typeflag: UInt8,
        userName: [UInt8], groupName: [UInt8]
    ) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        block.withUnsafeMutableBytes { raw in
            func put(_ bytes: [UInt8], at offset: Int, length: Int) {
                for (index, byte) in bytes.prefix(length).enumerated() { raw[offset + index] = byte }
            }
            func octal(_ value: Int64, at offset: Int, length: Int) {
                _ = TarNumericField.writeOctal(value, into: UnsafeMutableRawBufferPointer(rebasing: raw[offset..<offset + length]))
            }
            put(fields.name, at: 0, length: 100)
            octal(mode, at: 100, length: 8)
            octal(uid, at: 108, length: 8)
            octal(gid, at: 116, length: 8)
            octal(size, at: 124, length: 12)
            octal(mtime, at: 136, length: 12)
            put(Array("        ".utf8), at: 148, length: 8)
            raw[156] = typeflag
            put(fields.linkName, at: 157, length: 100)
            put(Array("ustar\0".utf8) + Array("00".utf8), at: 257, length: 8)
            put(userName, at: 265, length: 32)
            put(groupName, at: 297, length: 32)
            octal(0, at: 329, length: 8)
            octal(0, at: 337, length: 8)
            put(fields.prefix, at: 345, length: 155)
            var sum: Int64 = 0
            for byte in raw { sum &+= Int64(byte) }
            octal(sum, at: 148, length: 7)
            raw[155] = UInt8(ascii: " ")
        }
        return block
    }

    /// Splits an ASCII name into ustar (prefix, name) with prefix ≤ 155 and name ≤ 100 bytes, or nil.
    static func ustarSplit(_ name: String) -> (prefix: [UInt8], name: [UInt8])? {
        guard isASCII(name) else { return nil }
        let bytes = Array(name.utf8)
        if bytes.count <= 100 { return ([], bytes) }
        guard bytes.count <= 256 else { return nil }
        // The shortest prefix whose remainder fits 100 bytes; the slash between them is not stored.
        for index in bytes.indices where bytes[index] == UInt8(ascii: "/") {
            let rest = bytes.count - index - 1
            guard rest <= 100 else { continue }
            guard index <= 155, rest > 0, index > 0 else { return nil }
            return (Array(bytes[..<index]), Array(bytes[(index + 1)...]))
        }
        return nil
    }

    /// The ustar name field written next to a PAX `path`: the name made ASCII and cut to 100 bytes.
    private static func fallbackName(_ name: String) -> [UInt8] {
        Array(asciiSanitized(name).prefix(100))
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// The UTF-8 bytes with every non-ASCII byte replaced by `_`.
    private static func asciiSanitized(_ text: String) -> [UInt8] {
        text.utf8.map { $0 < 0x80 ? $0 : UInt8(ascii: "_") }
    }
}
