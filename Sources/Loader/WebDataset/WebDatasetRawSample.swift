/// One tar member of a WebDataset sample.
public struct WebDatasetPart: Sendable, Equatable {
    /// The lowercased extension (`jpg`, `seg.png`, `txt.gz`).
    public var extensionName: String
    /// The member's full name.
    public var member: String
    /// The byte offset of the member's header in the (uncompressed) shard stream.
    public var offset: Int64
    /// The member's bytes.
    public var data: [UInt8]

    /// Creates a part.
    /// - Parameters:
    ///   - extensionName: The lowercased extension.
    ///   - member: The member's full name.
    ///   - offset: The header's byte offset.
    ///   - data: The bytes.
    public init(extensionName: String, member: String, offset: Int64, data: [UInt8]) {
        self.extensionName = extensionName
        self.member = member
        self.offset = offset
        self.data = data
    }
}

/// A sample as webdataset groups it, before decoding: the key and the consecutive members sharing it.
public struct WebDatasetRawSample: Sendable, Equatable {
    /// The key (`__key__`).
    public var key: String
    /// The parts in archive order.
    public var parts: [WebDatasetPart]

    /// Creates a raw sample.
    /// - Parameters:
    ///   - key: The key.
    ///   - parts: The parts in archive order.
    public init(key: String, parts: [WebDatasetPart]) {
        self.key = key
        self.parts = parts
    }

    /// The first part with this (lowercased) extension.
    /// - Parameter extensionName: The extension, e.g. `jpg` or `seg.png`.
    /// - Returns: The part, or nil.
    public func part(_ extensionName: String) -> WebDatasetPart? {
        parts.first { $0.extensionName == extensionName }
    }

    /// Whether adding a part with this extension would be a duplicate: a part already has it, or it names one of
    /// the peer's own fields (`__key__`, `__url__`), which the peer also reports as a duplicate.
    /// - Parameter extensionName: The lowercased extension.
    /// - Returns: True for a duplicate.
    public func contains(_ extensionName: String) -> Bool {
        extensionName == "__key__" || extensionName == "__url__" || parts.contains { $0.extensionName == extensionName }
    }
}
