/// How webdataset names a sample's tar members: the key is the path up to the basename's first dot, the extension
/// the rest (`dir/a.b.jpg` → key `dir/a`, extension `b.jpg`).
enum SampleMembers {
    /// The lowercased extension of a member name (empty when the basename has no dot).
    /// - Parameter member: The member's path in the tar.
    /// - Returns: Everything after the basename's first dot, lowercased.
    static func extensionName(of member: String) -> String {
        let base = member.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = base.firstIndex(of: ".") else { return "" }
        return base[base.index(after: dot)...].lowercased()
    }

    /// The sample key of a member name.
    /// - Parameter member: The member's path in the tar.
    /// - Returns: The path without the basename's extension.
    static func key(of member: String) -> String {
        let slash = member.lastIndex(of: "/").map { member.index(after: $0) } ?? member.startIndex
        guard let dot = member[slash...].firstIndex(of: ".") else { return member }
        return String(member[..<dot])
    }
}
