import Augment

/// Which samples `sgid preview` shows: rows across classes. Candidates are grouped by label (class order, samples
/// without a label last); each class gives `perClass` rows (fewer if it has fewer samples), drawn without replacement
/// by the seed, and the rows are cut at `limit`. The draw for a class depends only on (seed, label, the class's
/// candidates), so one seed always picks the same rows.
struct PreviewSelection {
    /// One chosen row: the candidate's position in canonical order, and its group.
    struct Row: Equatable {
        /// The candidate's position in canonical order.
        let position: Int
        /// The label (`nil` for an unlabelled sample).
        let label: Int?
    }

    private var groups: [Int?: [Int]] = [:]

    /// Adds a candidate.
    /// - Parameters:
    ///   - position: Its position in canonical order (increasing).
    ///   - label: Its label, or `nil`.
    mutating func add(position: Int, label: Int?) {
        groups[label, default: []].append(position)
    }

    /// The chosen rows, in class order then by draw.
    /// - Parameters:
    ///   - seed: The seed of the draw.
    ///   - perClass: Rows per class.
    ///   - limit: The most rows.
    /// - Returns: Up to `limit` rows.
    func rows(seed: UInt64, perClass: Int, limit: Int) -> [Row] {
        let labels = groups.keys.compactMap { $0 }.sorted().map(Optional.some) + (groups[nil] == nil ? [] : [nil])
        var rows: [Row] = []
        for label in labels {
            guard rows.count < limit, var positions = groups[label] else { break }
            // A partial Fisher–Yates shuffle from a generator of its own per class.
            var rng = SampleRNG(seed: seed, epoch: 0, position: label ?? -1, stream: 0x5052_4556)  // "PREV"
            for drawn in 0..<min(perClass, positions.count, limit - rows.count) {
                let pick = drawn + Int(rng.next() % UInt64(positions.count - drawn))
                positions.swapAt(drawn, pick)
                rows.append(Row(position: positions[drawn], label: label))
            }
        }
        return rows
    }
}
