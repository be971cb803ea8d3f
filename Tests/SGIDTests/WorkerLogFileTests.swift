import Foundation
@testable import SGID
import Testing
import TestSupport

/// A worker's log file is created afresh in the shared temporary folder, never written through a planted link.
struct WorkerLogFileTests {
    @Test func aPlantedSymbolicLinkAtTheLogPathIsRefusedAndItsTargetUntouched() throws {
        let directory = try TemporaryDirectory()
        let victim = directory.path("victim")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
        let log = directory.path("sgid-worker-0.log")
        try FileManager.default.createSymbolicLink(atPath: log, withDestinationPath: victim)
        do {
            _ = try WorkerConnection.createLog(at: log)
            Issue.record("the log was opened through a symbolic link")
        } catch {
            #expect(error.kind == .startFailed && error.message.contains(log), "\(error)")
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        // A dangling link (its target does not exist yet) is not followed either: nothing is created at the target.
        let absent = directory.path("absent")
        let dangling = directory.path("sgid-worker-1.log")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: absent)
        #expect(throws: GeneratorError.self) { _ = try WorkerConnection.createLog(at: dangling) }
        #expect(!FileManager.default.fileExists(atPath: absent))
    }

    @Test func theLogIsANewOwnerOnlyFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("sgid-worker-0.log")
        let handle = try WorkerConnection.createLog(at: path)
        handle.write(Data("line\n".utf8))
        try handle.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "line\n")
        // An existing file is not reused (O_EXCL): a second worker never appends to, or truncates, another's log.
        #expect(throws: GeneratorError.self) { _ = try WorkerConnection.createLog(at: path) }
    }
}
