/// How webdataset 1.0.2 reads a tar member's name: which members are metadata, and how a name splits into the
/// sample key and the part's extension.
enum WebDatasetMemberName {
    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")
    private static let newline = UInt8(ascii: "\n")
    private static let underscore = UInt8(ascii: "_")

    /// Whether the member is skipped as metadata (`tar_file_iterator`): a name without `/` that starts and ends
    /// with `__` (the two may overlap, so `__` and `___` count), or a name whose first path component is at least
    /// four characters long, starts and ends with `__` and is followed by `/` or the end (`__meta__/x.json`).
    /// - Parameter name: The member's full name.
    /// - Returns: True when the member is skipped.
    static func isMetadata(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let startsMarked = bytes.count >= 2 && bytes[0] == underscore && bytes[1] == underscore
        guard startsMarked else { return false }
        let firstSlash = bytes.firstIndex(of: slash)
        if firstSlash == nil, endsMarked(bytes[...]) { return true }
        var component = bytes[..<(firstSlash ?? bytes.count)]
        // The peer's `$` also matches before a final newline.
        if firstSlash == nil, component.last == newline { component = component.dropLast() }
        return component.count >= 4 && endsMarked(component)
    }

    private static func endsMarked(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count >= 2 && bytes[bytes.endIndex - 1] == underscore && bytes[bytes.endIndex - 2] == underscore
    }

    /// Splits a member name as `base_plus_ext` does (the regular expression `^((?:.*/|)[^.]+)[.]([^/]*)$`):
    /// normally the key is everything before the first dot of the base name (directories kept) and the extension is
    /// everything after it (`dir.x/a.b0_0.jpg` → `dir.x/a`, `b0_0.jpg`). A base name without a dot gives nil (the
    /// member is skipped). A base name starting with a dot splits at that dot with the key ending in `/`, when the
    /// last directory name has no dot (`d/.jpg` → `d/`, `jpg`), else gives nil.
    /// - Parameter name: The member's full name.
    /// - Returns: The key and the extension (not yet lowercased), or nil.
    static func split(_ name: String) -> (key: String, extension: String)? {
        let bytes = Array(name.utf8)
        // Where the dot-free run before the extension may start: after a slash (the last one first, as the greedy
        // `.*/` tries it first; `.` does not match a newline, so only slashes before the first newline), then 0.
        let firstNewline = bytes.firstIndex(of: newline) ?? bytes.count
        var starts: [Int] = []
        for index in stride(from: min(firstNewline, bytes.count) - 1, through: 0, by: -1) where bytes[index] == slash {
            starts.append(index + 1)
        }
        starts.append(0)
        for start in starts {
            var end = start
            while end < bytes.count, bytes[end] != dot { end += 1 }
            guard end > start, end < bytes.count else { continue }
            guard !bytes[(end + 1)...].contains(slash) else { continue }
            return (String(decoding: bytes[..<end], as: UTF8.self),
                    String(decoding: bytes[(end + 1)...], as: UTF8.self))
        }
        return nil
    }
}
