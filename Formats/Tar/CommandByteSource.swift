import Foundation

/// A byte source reading the standard output of a shell command, as WebDataset's `pipe:CMD` URLs do.
///
/// The command runs under `/bin/sh -c` with standard input from `/dev/null` and standard error inherited.
/// When its output ends, the source waits for it and reports a failure status (non-zero exit or a signal) as a
/// `TarError` of kind `.commandFailed`, so a failed download is never mistaken for a short archive.
/// A source dropped before the end terminates the command and everything it started (Foundation starts the shell as
/// the leader of its own process group, and the whole group is signalled).
public final class CommandByteSource: ByteSource {
    /// The shell command.
    public let command: String
    private let process: Process
    private let output: FileHandle
    private var finished = false

    /// Starts the command.
    /// - Parameter command: A shell command line, e.g. `curl -s https://host/shard-000.tar`.
    /// - Throws: `TarError` of kind `.commandFailed` when `/bin/sh` cannot be started.
    public init(command: String) throws(TarError) {
        self.command = command
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw TarError(.commandFailed, "cannot start /bin/sh: \(error)", archive: "pipe:\(command)")
        }
        self.process = process
        self.output = pipe.fileHandleForReading
    }

    /// Reads the command's output; at its end, checks the command's exit status.
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: The number of bytes read, 0 at the end of the output when the command succeeded.
    /// - Throws: `TarError` of kind `.commandFailed` when the command exits with a failure status, `.io` when reading fails.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        if finished { return 0 }
        let count: Int
        do {
            count = try POSIXCalls.read(output.fileDescriptor, into: buffer, what: "command output")
        } catch {
            throw error.located(archive: "pipe:\(command)")
        }
        if count > 0 { return count }
        finished = true
        process.waitUntilExit()
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal {
            throw TarError(.commandFailed, "command killed by signal \(status)", archive: "pipe:\(command)")
        }
        if status != 0 {
            throw TarError(.commandFailed, "command exited with status \(status)", archive: "pipe:\(command)")
        }
        return 0
    }

    deinit {
        try? output.close()
        if process.isRunning {
            // Signal the command's whole process group: a child left running (`cat …; sleep 30`) would keep the
            // process "running" for Foundation until it exits.
            let group = -process.processIdentifier
            kill(group, SIGTERM)
            // A command that ignores SIGTERM gets SIGKILL after a second, so dropping a source never hangs.
            let deadline = ContinuousClock.now + .seconds(1)
            while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
            if process.isRunning { kill(group, SIGKILL) }
        }
        process.waitUntilExit()
    }
}
