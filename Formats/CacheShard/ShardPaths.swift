/// The three files of one shard (SPEC.md, "Files").
public struct ShardPaths: Sendable, Hashable {
    /// `NAME.sgidc`: the data file.
    public let data: String
    /// `NAME.sgidx`: the index.
    public var index: String { stem + "." + CacheFormat.indexExtension }
    /// `NAME.sgidc.lock`: the writer's lock.
    public var lock: String { data + ".lock" }
    /// `NAME`, with its directory.
    public let stem: String
    /// The directory holding the shard.
    public var directory: String {
        guard let slash = stem.lastIndex(of: "/") else { return "." }
        return slash == stem.startIndex ? "/" : String(stem[..<slash])
    }

    /// Names a shard by its data file (`…/NAME.sgidc`) or its stem (`…/NAME`).
    /// - Parameter path: Either form.
    public init(_ path: String) {
        let suffix = "." + CacheFormat.dataExtension
        stem = path.hasSuffix(suffix) ? String(path.dropLast(suffix.count)) : path
        data = stem + suffix
    }
}
