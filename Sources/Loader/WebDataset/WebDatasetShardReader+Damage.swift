import Tar

/// What a shard reader does when its tar stream fails: which sample the failure cost, whether the sample read
/// before it is delivered, and whether reading goes on.
///
/// - The member the failure lost is the one the tar error names (for a damaged header, the name the damaged block
///   still shows), unless that member is already whole in the group being read (the stream ended in its padding).
/// - The group being read is returned first when the lost member is not one of its own: it is the complete sample
///   before the damage. When the lost member belongs to it, the group is the damaged sample and goes with the error.
/// - The error (kind `.corruptArchive`, or `.io` for a failed `pipe:` command) names the lost member's key, so the
///   loader's skip/warn summary counts the sample the damage cost, once.
/// - When the tar reader resynchronised (`resumeOffset` set), reading goes on; the lost sample's other members that
///   follow the damage are dropped with it. Otherwise the shard ends.
///
/// webdataset 1.0.2 itself never resynchronises: Python's `tarfile` stops at a damaged header without an error (the
/// rest of the shard is silently lost) and raises on a truncated member.
extension WebDatasetShardReader {
    /// Handles the tar reader's error met while `group` was being read.
    /// - Parameters:
    ///   - error: The tar error.
    ///   - group: The members read so far with one key.
    /// - Returns: The group, when it is complete (the error is then thrown on the next call).
    /// - Throws: The error as a `LoaderError` naming the shard, member, offset and lost key.
    mutating func failed(_ error: TarError, group: WebDatasetRawSample?) throws(LoaderError) -> WebDatasetRawSample {
        let lostKey = Self.lostKey(error, group: group)
        let failure = Self.loaderError(error, url: url, key: lostKey)
        let goesOn = error.resumeOffset != nil
        finished = !goesOn
        skippedKey = goesOn ? lostKey : nil
        if let group, group.key != lostKey {
            deferredError = failure
            return group
        }
        throw failure
    }

    /// The key of the sample a tar error cost, when it can be told.
    /// - Parameters:
    ///   - error: The tar error.
    ///   - group: The members read so far with one key.
    /// - Returns: The key of the member the error names, unless that member is whole in `group`, is webdataset
    ///   metadata, or has no extension.
    static func lostKey(_ error: TarError, group: WebDatasetRawSample?) -> String? {
        guard let name = error.memberName, group?.parts.contains(where: { $0.member == name }) != true,
              !WebDatasetMemberName.isMetadata(name) else { return nil }
        return WebDatasetMemberName.split(name)?.key
    }
}
