import Augment
import Loader

/// Reads the samples `sgid preview` shows from a dataset: labels first (an ImageFolder's listing, which reads no
/// file; shards read once without decoding), then the chosen samples (an ImageFolder by index, shards in a second
/// pass that stops at the last one). Samples that cannot be read, or have no image, are not candidates.
enum PreviewSamples {
    /// The chosen samples with their canonical positions, in row order.
    /// - Parameters:
    ///   - source: The dataset.
    ///   - seed: The seed of the draw.
    ///   - perClass: Rows per class.
    ///   - limit: The most rows.
    /// - Returns: `(position, sample)` per row.
    static func choose(from source: Dataset, seed: UInt64, perClass: Int, limit: Int) -> [(position: Int, sample: Sample)] {
        var selection = PreviewSelection()
        switch source {
        case .imageFolder(let folder):
            for index in 0..<folder.count { selection.add(position: index, label: folder.label(at: index)) }
            return selection.rows(seed: seed, perClass: perClass, limit: limit).compactMap { row in
                do {
                    return (row.position, try folder.sample(at: row.position))
                } catch {
                    printError("sgid preview: skipping \(folder.key(at: row.position)): \(error)")
                    return nil
                }
            }
        case .webDataset:
            var position = 0
            source.forEachSample(resynchronizing: true) { result in
                if case .success(let sample) = result { selection.add(position: position, label: sample.label) }
                position += 1
                return true
            }
            let rows = selection.rows(seed: seed, perClass: perClass, limit: limit)
            let wanted = Set(rows.map(\.position))
            var found: [Int: Sample] = [:]
            position = 0
            source.forEachSample(resynchronizing: true) { result in
                if wanted.contains(position), case .success(let sample) = result { found[position] = sample }
                position += 1
                return found.count < wanted.count
            }
            return rows.compactMap { row in found[row.position].map { (row.position, $0) } }
        }
    }

    /// The name a row is labelled with: the sample's class name, the dataset's name for its label, `class N`, or
    /// `unlabelled`.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - source: Its dataset.
    /// - Returns: The name.
    static func className(of sample: Sample, in source: Dataset) -> String {
        if let name = sample.className { return name }
        guard let label = sample.label else { return "unlabelled" }
        let names = source.classNames
        return names.indices.contains(label) ? names[label] : "class \(label)"
    }
}
