#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Directory listings and the recursive walk behind `ImageFolderDataset`.
enum ImageFolderDirectory {
    /// One entry of a directory.
    struct Entry {
        var name: [UInt8]
        var isDirectory: Bool
    }

    /// One visited directory and the names of its non-directory entries.
    struct Visited {
        /// The path relative to the root.
        var path: [UInt8]
        /// Non-directory entry names, sorted by bytes.
        var files: [[UInt8]]
    }

    /// Lists a directory (without `.` and `..`); directory-ness follows symbolic links (`DirEntry.is_dir()`).
    /// - Parameter path: The directory's path bytes.
    /// - Returns: The entries, or nil when it cannot be opened (`errno` set).
    static func list(_ path: [UInt8]) -> [Entry]? {
        guard let directory = withCString(path, { opendir($0) }) else { return nil }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name == [0x2e] || name == [0x2e, 0x2e] { continue }
            let type = entry.pointee.d_type
            let isDirectory: Bool
            if type == UInt8(DT_DIR) {
                isDirectory = true
            } else if type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) {
                let info = status(path + [UInt8(ascii: "/")] + name)
                isDirectory = info.map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
            } else {
                isDirectory = false
            }
            entries.append(Entry(name: name, isDirectory: isDirectory))
        }
        return entries
    }

    /// `stat` (following links).
    static func status(_ path: [UInt8]) -> stat? {
        var info = stat()
        let result = withCString(path) { stat($0, &info) }
        return result == 0 ? info : nil
    }

    /// Walks a class folder like `sorted(os.walk(top, followlinks=True))`: every directory reached (through links
    /// too), ordered by path bytes, with its files sorted. Unreadable directories are skipped; a link back into its
    /// own ancestors is not followed.
    /// - Parameters:
    ///   - root: The dataset root's path bytes.
    ///   - relative: The class folder's name.
    /// - Returns: The visited directories in order.
    static func walk(root: [UInt8], relative: [UInt8]) -> [Visited] {
        var visited: [Visited] = []
        var ancestors: [(UInt64, UInt64)] = []
        visit(root: root, relative: relative, ancestors: &ancestors, into: &visited)
        return visited.sorted { $0.path.lexicographicallyPrecedes($1.path) }
    }

    private static func visit(root: [UInt8], relative: [UInt8], ancestors: inout [(UInt64, UInt64)],
                              into visited: inout [Visited]) {
        let path = root + [UInt8(ascii: "/")] + relative
        guard let info = status(path) else { return }
        let identity = (UInt64(info.st_dev), UInt64(info.st_ino))
        guard !ancestors.contains(where: { $0 == identity }), let entries = list(path) else { return }
        ancestors.append(identity)
        defer { ancestors.removeLast() }
        let files = entries.filter { !$0.isDirectory }.map(\.name).sorted { $0.lexicographicallyPrecedes($1) }
        visited.append(Visited(path: relative, files: files))
        for entry in entries where entry.isDirectory {
            visit(root: root, relative: relative + [UInt8(ascii: "/")] + entry.name, ancestors: &ancestors,
                  into: &visited)
        }
    }

    /// Calls `body` with a NUL-terminated copy of `path`.
    static func withCString<Result>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> Result) -> Result {
        (path + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}

/// Reads whole files with POSIX calls.
enum ImageFolderFileReader {
    /// Why a read failed.
    struct Failure: Error {
        /// The system's message.
        var reason: String
    }

    /// Reads a whole file.
    /// - Parameter path: The path bytes.
    /// - Returns: The contents.
    /// - Throws: `Failure` with `strerror`'s message.
    static func read(_ path: [UInt8]) throws(Failure) -> [UInt8] {
        let descriptor = ImageFolderDirectory.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw Failure(reason: "is a directory") }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == bytes.count {
                bytes.append(contentsOf: [UInt8](repeating: 0, count: max(bytes.count, 1 << 16)))
            }
            let got = bytes.withUnsafeMutableBytes { raw in
                systemRead(descriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}

/// The system's `read`, named apart from `ImageFolderFileReader.read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
