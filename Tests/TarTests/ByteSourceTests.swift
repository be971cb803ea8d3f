import Foundation
import Tar
import Testing
import TestSupport

/// Files, pipes from commands, gzip and zstd streams all feed the reader the same archive.
@Suite struct ByteSourceTests {
    let sample: [UInt8]
    let expected: [TarMember]

    init() throws {
        sample = try TarTestSupport.sampleArchive()
        expected = try TarTestSupport.readAll(bytes: sample)
    }

    func compress(_ tool: String, _ bytes: [UInt8]) throws -> [UInt8] {
        try [UInt8](PeerPython.runProcess(tool, ["-c"], input: Data(bytes)))
    }

    @Test func commandSourceReadsCatAndGzipOutput() throws {
        let directory = try TemporaryDirectory(prefix: "tar-pipe")
        let path = directory.path("sample.tar")
        try Data(sample).write(to: URL(fileURLWithPath: path))
        for command in ["cat '\(path)'", "gzip -c '\(path)'", "zstd -q -c '\(path)'"] {
            let reader = try TarReader(command: command, options: TarReaderOptions(includesNonRegularMembers: true))
            #expect(try reader.readAll() == expected, "\(command)")
            #expect(reader.archiveName == "pipe:\(command)")
        }
    }

    @Test func failingCommandsAreErrors() throws {
        let error = #expect(throws: TarError.self) { _ = try TarReader(command: "exit 3").readAll() }
        #expect(error?.kind == .commandFailed)
        #expect(error?.description == "pipe:exit 3: command exited with status 3")

        // A command that writes a whole archive and then fails: the members come, then the failure.
        let directory = try TemporaryDirectory(prefix: "tar-pipe")
        let path = directory.path("sample.tar")
        try Data(sample).write(to: URL(fileURLWithPath: path))
        let reader = try TarReader(command: "cat '\(path)'; exit 3")
        var names: [String] = []
        let late = #expect(throws: TarError.self) {
            while let member = try reader.next() { names.append(member.name) }
        }
        #expect(late?.kind == .commandFailed)
        #expect(names == expected.filter(\.isRegular).map(\.name))

        let killed = #expect(throws: TarError.self) { _ = try TarReader(command: "kill -9 $$").readAll() }
        #expect(killed?.kind == .commandFailed)
    }

    @Test func droppingACommandSourceEarlyDoesNotHang() throws {
        let directory = try TemporaryDirectory(prefix: "tar-pipe")
        let path = directory.path("sample.tar")
        try Data(sample).write(to: URL(fileURLWithPath: path))
        let start = ContinuousClock.now
        do {
            let reader = try TarReader(command: "cat '\(path)'; sleep 30")
            #expect(try reader.next()?.name == "dir/a.jpg")
        }
        // Even a command that ignores SIGTERM is stopped.
        do {
            let stubborn = try TarReader(command: "trap '' TERM; cat '\(path)'; while :; do sleep 1; done")
            #expect(try stubborn.next()?.name == "dir/a.jpg")
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func gzipAndZstdStreamsAreDetectedAndRead() throws {
        let gzip = try compress("/usr/bin/gzip", sample)
        let zstd = try compress("/usr/bin/zstd", sample)
        #expect(StreamCompression.detect(gzip) == .gzip)
        #expect(StreamCompression.detect(zstd) == .zstd)
        #expect(StreamCompression.detect(sample) == .none)
        let variants: [[UInt8]] = [gzip, zstd, gzip + gzip, gzip + [0, 0, 0, 0], zstd + zstd]
        for bytes in variants {
            #expect(try TarTestSupport.readAll(bytes: bytes) == expected)
        }
        // Two gzip members / two zstd frames that split the archive anywhere join up.
        let half = sample.count / 2 + 37
        let joinedGzip = try compress("/usr/bin/gzip", Array(sample[..<half])) + compress("/usr/bin/gzip", Array(sample[half...]))
        let joinedZstd = try compress("/usr/bin/zstd", Array(sample[..<half])) + compress("/usr/bin/zstd", Array(sample[half...]))
        #expect(try TarTestSupport.readAll(bytes: joinedGzip) == expected)
        #expect(try TarTestSupport.readAll(bytes: joinedZstd) == expected)
    }

    @Test func truncatedOrCorruptCompressedStreamsAreErrors() throws {
        for tool in ["/usr/bin/gzip", "/usr/bin/zstd"] {
            let compressed = try compress(tool, sample)
            for length in 1..<compressed.count {
                #expect(throws: TarError.self, "\(tool) cut at \(length)") {
                    try TarTestSupport.readAll(bytes: Array(compressed[..<length]))
                }
            }
            // A stream cut inside a member's data names that member.
            let cut = Array(compressed[..<(compressed.count - 12)])
            let named = #expect(throws: TarError.self) { try TarTestSupport.readAll(bytes: cut) }
            #expect(named?.kind == .decompression || named?.kind == .truncatedData)
            var flipped = compressed
            flipped[compressed.count / 2] ^= 0x10
            let error = #expect(throws: TarError.self) { try TarTestSupport.readAll(bytes: flipped) }
            #expect([.decompression, .badChecksum, .badNumericField, .truncatedData, .badPAXRecord].contains(error?.kind),
                    "\(String(describing: error))")
        }
    }

    @Test func fileSourceReportsMissingFiles() {
        let error = #expect(throws: TarError.self) { _ = try TarReader(path: "/nonexistent/shard.tar") }
        #expect(error?.kind == .io)
        #expect(error?.archive == "/nonexistent/shard.tar")
    }

    @Test func fileDescriptorAndMemorySourcesReadTheSame() throws {
        let directory = try TemporaryDirectory(prefix: "tar-fd")
        let path = directory.path("sample.tar")
        try Data(sample).write(to: URL(fileURLWithPath: path))
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let source = FileDescriptorByteSource(fileDescriptor: handle.fileDescriptor, name: "sample")
        let reader = TarReader(source: source, options: TarReaderOptions(includesNonRegularMembers: true))
        #expect(try reader.readAll() == expected)
        try handle.close()
        let memory = TarReader(source: MemoryByteSource(sample), options: TarReaderOptions(includesNonRegularMembers: true))
        #expect(try memory.readAll() == expected)
    }
}
