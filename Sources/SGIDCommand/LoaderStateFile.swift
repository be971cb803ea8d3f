import Foundation
import Loader

/// The loader state file of `sgid run --save-state FILE` / `--resume FILE`: one `LoaderState` as JSON, saying where
/// the run continues (the epoch and how many of its batches were delivered). Written atomically through
/// `OutputFile.replace` (a temporary file renamed over the old one; a symbolic link in its place is refused), so a
/// `kill -9` at any moment leaves the previous or the new state, never a torn one.
enum LoaderStateFile {
    /// Writes a state.
    /// - Parameters:
    ///   - state: The state.
    ///   - path: The file.
    /// - Throws: `CommandFailure` naming the file when it cannot be written.
    static func write(_ state: LoaderState, to path: String) throws(CommandFailure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes: Data
        do { bytes = try encoder.encode(state) } catch { throw CommandFailure("--save-state: cannot encode the state: \(error)") }
        do throws(OutputFile.Failure) {
            try OutputFile.replace(bytes + Data("\n".utf8), at: path)
        } catch {
            throw CommandFailure("--save-state: \(error.description)")
        }
    }

    /// Reads a state.
    /// - Parameter path: The file.
    /// - Returns: The state.
    /// - Throws: `CommandFailure` naming the file when it is missing, unreadable or not a loader state.
    static func read(_ path: String) throws(CommandFailure) -> LoaderState {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("--resume: cannot read \(path)")
        }
        do {
            return try JSONDecoder().decode(LoaderState.self, from: data)
        } catch {
            throw CommandFailure("--resume: \(path) is not a loader state (\(error))")
        }
    }
}
