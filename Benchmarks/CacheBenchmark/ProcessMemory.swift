#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The process's memory as Linux and glibc report it.
enum ProcessMemory {
    /// Resident set size (VmRSS), in bytes.
    static func resident() -> Int { status("VmRSS:") }

    /// Peak resident set size since the last `resetPeak()` (VmHWM), in bytes.
    static func peak() -> Int { status("VmHWM:") }

    /// Resets VmHWM to the current RSS (writes 5 to /proc/self/clear_refs, Linux ≥ 4.0).
    static func resetPeak() {
        if let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
            handle.write(Data("5".utf8))
            try? handle.close()
        }
    }

    /// Returns free heap memory to the system (glibc `malloc_trim(0)`, found with `dlsym`: the Glibc module does not
    /// export it) so that RSS follows live data.
    static func trim() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(nil, "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    private static func status(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            let number = line.dropFirst(field.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) } ?? 0
            return number * 1024  // kB
        }
        return 0
    }
}
