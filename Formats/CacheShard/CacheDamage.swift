/// A stretch of a data file between intact records that holds no record that verifies: a damaged record, or garbage.
/// Recovery and readers step over it (the records after it are kept); `verify` reports it; `sgid cache compact
/// --drop-damaged` leaves it behind.
public struct CacheDamage: Sendable, Equatable, CustomStringConvertible {
    /// Where the damage starts (where a record was expected).
    public var offset: UInt64
    /// Bytes until the next intact record.
    public var length: UInt64
    /// Why the record expected at `offset` did not verify.
    public var reason: CacheError

    /// Creates a damage report.
    /// - Parameters:
    ///   - offset: Where the damage starts.
    ///   - length: Bytes until the next intact record.
    ///   - reason: Why the record at `offset` did not verify.
    public init(offset: UInt64, length: UInt64, reason: CacheError) {
        self.offset = offset
        self.length = length
        self.reason = reason
    }

    /// `"<reason> (<length> bytes hold no intact record)"`.
    public var description: String { "\(reason) (\(length) bytes hold no intact record)" }
}
