import Augment

/// One sample as `sgid index` lists it: what the dataset holds, image or not, without decoding anything.
public struct SampleListing: Sendable, Equatable {
    /// The key (`__key__`; the class-relative path stem for ImageFolder).
    public var key: String
    /// The extensions of the sample's parts in archive order (`jpg`, `cls`, `txt.gz`, `json`, …).
    public var parts: [String]
    /// The label, where the sample has one.
    public var label: Int?
    /// The class name, where known.
    public var className: String?
    /// Where the sample comes from (its image member, else its first member).
    public var source: SampleSource
    /// Whether the sample has an image part the loader would decode.
    public var hasImage: Bool

    /// Creates a listing.
    /// - Parameters:
    ///   - key: The key.
    ///   - parts: The parts' extensions.
    ///   - label: The label, if any.
    ///   - className: The class name, if known.
    ///   - source: Where the sample comes from.
    ///   - hasImage: Whether an image part is present.
    public init(key: String, parts: [String], label: Int?, className: String?, source: SampleSource, hasImage: Bool) {
        self.key = key
        self.parts = parts
        self.label = label
        self.className = className
        self.source = source
        self.hasImage = hasImage
    }
}
