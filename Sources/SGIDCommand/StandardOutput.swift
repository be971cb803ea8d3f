@preconcurrency import Glibc

/// Standard output settings of the CLI.
enum StandardOutput {
    /// Flushes standard output at every newline even when it is a pipe or file, so result lines interleave with the
    /// progress lines on standard error in the order they happen. Called once, before any output.
    static func useLineBuffering() {
        setvbuf(stdout, nil, _IOLBF, 0)
    }
}
