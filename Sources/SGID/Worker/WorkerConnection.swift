import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One running worker process: started (from `WorkerSpawner`'s thread, with its client's pid so that it dies with
/// it), handshaken, then asked one request at a time. Never hangs on a dead pipe:
/// reads poll with a deadline, writes to a dead worker fail with `.workerDied` (SIGPIPE is ignored).
final class WorkerConnection: @unchecked Sendable {
    /// The protocol version this client speaks (Formats/GeneratorProtocol.md).
    static let protocolVersion = 2
    let command: WorkerCommand
    /// The worker's `ready` header.
    private(set) var ready: [String: Any] = [:]
    private let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let input: Int32
    private let output: Int32
    private let logPath: String

    /// The variable that gives a worker its client's process id, so that it can die with it (parent_watch.py).
    static let clientVariable = "SGID_CLIENT_PID"

    /// Starts the process (from `WorkerSpawner`'s thread); `handshake()` follows.
    /// - Parameters:
    ///   - command: How to start it.
    ///   - name: A name for its log file (`worker-0`).
    /// - Throws: `.startFailed` when it cannot start or its log file cannot be created.
    init(command: WorkerCommand, name: String) throws(GeneratorError) {
        signal(SIGPIPE, SIG_IGN)
        self.command = command
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("sgid-\(name)-\(UUID().uuidString).log").path
        let log = try Self.createLog(at: logPath)
        let stdin = stdinPipe, stdout = stdoutPipe
        process.executableURL = URL(fileURLWithPath: command.executable)
        process.arguments = command.arguments
        var environment = ProcessInfo.processInfo.environment.merging(command.environment) { _, new in new }
        environment[Self.clientVariable] = String(getpid())
        process.environment = environment
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = log
        input = stdin.fileHandleForWriting.fileDescriptor
        output = stdout.fileHandleForReading.fileDescriptor
        do {
            try WorkerSpawner.shared.run(process)
        } catch {
            try? FileManager.default.removeItem(atPath: logPath)
            throw GeneratorError(.startFailed, "cannot start \(command.executable): \(error.localizedDescription)")
        }
    }

    /// Creates the worker's log file afresh, never through a symbolic link (`O_CREAT | O_EXCL | O_NOFOLLOW`): a link
    /// or file planted at the log's name in the shared temporary folder is refused, not written through.
    /// - Parameter path: The log file to create (owner-only, 0600).
    /// - Returns: A handle writing it, closed with the handle.
    /// - Throws: `.startFailed` naming the path when it cannot be created.
    static func createLog(at path: String) throws(GeneratorError) -> FileHandle {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            let reason = code == EEXIST ? "it already exists (a planted file or symbolic link is not written through)"
                : String(cString: strerror(code))
            throw GeneratorError(.startFailed, "cannot create the worker log \(path): \(reason)")
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Performs the handshake (models load before it: this can take minutes).
    /// - Throws: `.startFailed` (the worker is killed) when it does not answer the handshake correctly.
    func handshake() throws(GeneratorError) {
        do throws(GeneratorError) {
            try send(WorkerFrame(header: ["type": "hello", "protocol": Self.protocolVersion]))
            let answer = try receive(timeout: command.startupTimeout)
            guard answer.type == "ready", (answer.header["protocol"] as? NSNumber)?.intValue == Self.protocolVersion else {
                throw GeneratorError(.protocolViolation, "handshake answered \(answer.header)")
            }
            ready = answer.header
        } catch {
            let log = logTail
            kill()
            throw GeneratorError(.startFailed, "worker \(command.arguments.first ?? command.executable) did not start: "
                                 + "\(error.message)\(log)")
        }
    }

    /// The last lines the worker wrote to standard error, for error messages.
    var logTail: String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8), !text.isEmpty else { return "" }
        let lines = text.split(separator: "\n").suffix(12).joined(separator: "\n")
        return "\n--- worker log (\(logPath)) ---\n\(lines)"
    }

    /// Writes a frame.
    func send(_ frame: WorkerFrame) throws(GeneratorError) {
        let bytes = try frame.encoded()
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let result = write(input, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return nil
        }
        if let failure {
            throw GeneratorError(.workerDied, "writing to the worker failed: \(String(cString: strerror(failure)))")
        }
    }

    /// Reads a frame, waiting at most `timeout` in total.
    func receive(timeout: Duration) throws(GeneratorError) -> WorkerFrame {
        let deadline = ContinuousClock.now + timeout
        return try WorkerFrame.read { (count) throws(GeneratorError) -> [UInt8] in
            try readExactly(count, deadline: deadline)
        }
    }

    private func readExactly(_ count: Int, deadline: ContinuousClock.Instant) throws(GeneratorError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw GeneratorError(.timeout, "no answer within the deadline") }
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&poller, 1, min(milliseconds, 1000))
            if ready < 0 && errno != EINTR { throw GeneratorError(.workerDied, "poll failed: \(String(cString: strerror(errno)))") }
            guard ready > 0 else { continue }
            let got = bytes.withUnsafeMutableBytes { read(output, $0.baseAddress! + done, count - done) }
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw GeneratorError(.workerDied, "reading from the worker failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 {
                throw GeneratorError(.workerDied, "the worker closed its output (exited?)\(logTail)")
            }
            done += got
        }
        return bytes
    }

    /// Sends a request and waits for the response with the same id.
    /// - Parameters:
    ///   - frame: The request (with an `"id"`).
    /// - Returns: The response.
    /// - Throws: `.workerDied`, `.timeout`, `.protocolViolation`, or `.rejected` for an `error` answer.
    func request(_ frame: WorkerFrame) throws(GeneratorError) -> WorkerFrame {
        try send(frame)
        let answer = try receive(timeout: command.requestTimeout)
        if answer.type == "error" {
            throw GeneratorError(.rejected, answer.header["message"] as? String ?? "worker reported an error")
        }
        guard answer.id == frame.id else {
            throw GeneratorError(.protocolViolation, "answer id \(String(describing: answer.id)) for request \(String(describing: frame.id))")
        }
        return answer
    }

    /// Asks the worker to exit, then makes sure it does.
    func shutdown() {
        try? send(WorkerFrame(header: ["type": "shutdown"]))
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        kill()
    }

    /// Kills the process (if running) and reaps it; its log is removed unless kept.
    /// - Parameter keepingLog: Keep a non-empty log (a failed worker's traceback) for the user to read.
    /// - Returns: The kept log's path, or `nil` when it was removed (or empty).
    @discardableResult
    func kill(keepingLog: Bool = false) -> String? {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let size = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0
        if keepingLog, size > 0 { return logPath }
        try? FileManager.default.removeItem(atPath: logPath)
        return nil
    }

    /// Sends SIGTERM (the worker installs no handler: it ends at once), from any thread; `kill()` still reaps it.
    func terminate() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGTERM) }
    }

    /// How the process ended ("exited with status 1", "was killed by signal 9"), or `nil` while it runs.
    var exitDescription: String? {
        guard !process.isRunning else { return nil }
        return process.terminationReason == .exit ? "exited with status \(process.terminationStatus)"
            : "was killed by signal \(process.terminationStatus)"
    }

    /// Whether the process is alive.
    var isRunning: Bool { process.isRunning }

    /// The process id (for tests that kill workers).
    var processIdentifier: Int32 { process.processIdentifier }

    deinit {
        if process.isRunning { kill() }
    }
}
