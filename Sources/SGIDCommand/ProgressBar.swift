import Foundation

/// A one-line progress bar on a terminal (done/total, rate, ETA); periodic log lines otherwise.
/// Updates may come from any thread (they are serialised).
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let label: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let interactive = isatty(2) != 0

    /// Creates a bar.
    /// - Parameters:
    ///   - total: Units of work.
    ///   - label: What is being done.
    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    /// Reports progress (drawn at most 10×/s on a terminal, every 30 s otherwise).
    /// - Parameter done: Units done so far.
    func update(_ done: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= (interactive ? 0.1 : 30) || (total > 0 && done == total) else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 1e-6)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let text = total > 0
            ? String(format: "%@ %d/%d (%.0f%%) %.1f/s ETA %.0fs", label, done, total, fraction * 100, rate, eta)
            : String(format: "%@ %d done, %.1f/s", label, done, rate)
        if interactive {
            let width = 30, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\(bar) \(text)   ".utf8))
        } else {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
    }

    /// Ends the bar's line.
    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
