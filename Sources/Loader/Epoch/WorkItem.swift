import Augment
import ImageCodec

/// One sample of this rank's epoch stream, on its way to a worker.
struct WorkItem: Sendable {
    /// Its number in this rank's stream (0, 1, 2, …): batches are cut in this order.
    let sequence: Int
    /// Its position in the epoch's global order: seeds its augmentation.
    let position: Int
    /// How to get the sample.
    let source: Source

    enum Source: Sendable {
        /// Read it from an indexed dataset.
        case index(Int)
        /// Already read (sharded datasets).
        case sample(Sample)
        /// Reading failed; the corrupt-sample policy decides.
        case failure(LoaderError)
    }
}

/// A worker's output for one sequence number.
enum WorkResult: Sendable {
    /// A sample ready to collate.
    case ready(ProcessedSample)
    /// A sample that failed.
    case failed(LoaderError)
}

/// A decoded, augmented sample.
struct ProcessedSample: Sendable {
    let key: String
    let label: Int?
    let position: Int
    let image: Image
}
