import Foundation

/// The processes of this machine as `/proc` lists them (Linux), for tests that check which processes survive.
public enum ProcessTable {
    /// One process: its id, parent's id, state letter (`R`, `S`, `Z` for a zombie, …) and command line.
    public struct Entry: Sendable, Hashable {
        /// Process id.
        public let pid: Int32
        /// Parent's process id.
        public let parent: Int32
        /// State letter from `/proc/PID/stat`.
        public let state: Character
        /// Arguments, joined by spaces.
        public let commandLine: String
    }

    /// Reads one process, or `nil` when it does not exist (any more).
    /// - Parameter pid: The process id.
    /// - Returns: The entry.
    public static func entry(_ pid: Int32) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // "PID (COMM) STATE PPID …"; COMM may hold spaces and parentheses, hence the last ")".
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let state = fields[0].first, let parent = Int32(fields[1]) else { return nil }
        let raw = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let commandLine = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
        return Entry(pid: pid, parent: parent, state: state, commandLine: commandLine)
    }

    /// Every process now listed.
    public static var all: [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { Int32($0) }.compactMap(entry)
    }

    /// The live (not zombie) children of a process whose command line contains `marker`.
    /// - Parameters:
    ///   - parent: The parent's id.
    ///   - marker: Text the command line must contain (`sgid_worker.py`); empty for any.
    /// - Returns: Their ids.
    public static func children(of parent: Int32, containing marker: String = "") -> [Int32] {
        all.filter { $0.parent == parent && $0.state != "Z" && (marker.isEmpty || $0.commandLine.contains(marker)) }.map(\.pid)
    }

    /// Whether a process exists and is not a zombie (a dead process its new parent has not reaped yet).
    /// - Parameter pid: The process id.
    /// - Returns: Whether it still runs.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let entry = entry(pid) else { return false }
        return entry.state != "Z" && entry.state != "X"
    }

    /// Waits until none of `pids` runs, or `timeout` seconds passed.
    /// - Parameters:
    ///   - pids: The processes.
    ///   - timeout: Longest wait in seconds.
    /// - Returns: Those still running at the end (empty when all ended).
    public static func waitUntilGone(_ pids: [Int32], timeout: Double) -> [Int32] {
        let deadline = Date().addingTimeInterval(timeout)
        var running = pids.filter(isAlive)
        while !running.isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            running = running.filter(isAlive)
        }
        return running
    }
}
