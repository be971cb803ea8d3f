import Augment
import Foundation
import Loader
import Testing
import TestSupport

/// Damaged shards and `pipe:` sources read without resynchronisation (the fail policy): errors name the shard, member,
/// offset and the key of the sample they cost, the complete sample before them is delivered first, and the reader
/// ends after them. `WebDatasetResynchronizationTests` covers the skip/warn reading that goes on.
@Suite("WebDataset damaged shards and pipe: sources")
struct WebDatasetCorruptionTests {
    /// Ten samples of jpg + cls, 2048 bytes each in the tar stream.
    static func members() -> [(String, [UInt8])] {
        (0..<10).flatMap { index -> [(String, [UInt8])] in
            [("s\(index).jpg", WDSShards.image + [UInt8(index)]), ("s\(index).cls", WDSShards.text("\(index)"))]
        }
    }

    /// Reads until the end or the first error; checks that the reader is finished after an error.
    static func readUntilError(_ url: String) throws -> (keys: [String], error: LoaderError?) {
        var reader = try WebDatasetShardReader(url: url, options: WebDatasetOptions(secureMode: false))
        var keys: [String] = []
        do {
            while let sample = try reader.next() { keys.append(sample.key) }
        } catch {
            let after = try reader.next()
            #expect(after == nil, "the reader must end after \(error)")
            return (keys, error)
        }
        return (keys, nil)
    }

    @Test("a tar cut inside a member's data: corruptArchive naming the member and its data offset")
    func truncatedTar() throws {
        let directory = try TemporaryDirectory(prefix: "wds-corrupt")
        let bytes = try WDSShards.archive(Self.members())
        let path = directory.path("cut.tar")
        try Data(bytes.prefix(4 * 2048 + 512 + 5)).write(to: URL(fileURLWithPath: path))
        let (keys, error) = try Self.readUntilError(path)
        // s3 is complete when s4 fails: it is delivered before the error (webdataset drops it unless its handler
        // goes on), and the error counts s4.
        #expect(keys == ["s0", "s1", "s2", "s3"])
        let failure = try #require(error)
        #expect(failure.kind == .corruptArchive)
        #expect(failure.location == path && failure.member == "s4.jpg" && failure.offset == 4 * 2048 + 512)
        #expect(failure.key == "s4")
        #expect(failure.description.contains("s4.jpg") && failure.description.contains("truncated"))
    }

    @Test("a gzip shard cut short: corruptArchive")
    func truncatedGzip() throws {
        let directory = try TemporaryDirectory(prefix: "wds-corrupt")
        let compressed = try WDSShards.gzip(try WDSShards.archive(Self.members()))
        let path = directory.path("cut.tar.gz")
        try Data(compressed.prefix(compressed.count / 2)).write(to: URL(fileURLWithPath: path))
        let (keys, error) = try Self.readUntilError(path)
        #expect(keys.count < 10)
        let failure = try #require(error)
        #expect(failure.kind == .corruptArchive && failure.location == path && failure.offset != nil)
    }

    @Test("a flipped byte in a header: corruptArchive at that header's offset")
    func flippedHeaderByte() throws {
        let directory = try TemporaryDirectory(prefix: "wds-corrupt")
        var bytes = try WDSShards.archive(Self.members())
        bytes[6 * 2048 + 3] ^= 0x5a  // inside the name of s6.jpg's header
        let path = directory.path("flipped.tar")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (keys, error) = try Self.readUntilError(path)
        #expect(keys == ["s0", "s1", "s2", "s3", "s4", "s5"])  // s5 was being grouped: it is complete
        let failure = try #require(error)
        #expect(failure.kind == .corruptArchive && failure.offset == 6 * 2048 && failure.location == path)
        // The name as the damaged header shows it ('j' ^ 0x5a is '0'): its key still says which sample was lost.
        #expect(failure.member == "s6.0pg" && failure.key == "s6" && failure.skippedBytes == nil)
    }

    @Test("flipped bytes in a gzip stream: corruptArchive, never a crash")
    func flippedGzipBytes() throws {
        let directory = try TemporaryDirectory(prefix: "wds-corrupt")
        let compressed = try WDSShards.gzip(try WDSShards.archive(Self.members()))
        var failures = 0
        for position in stride(from: 12, to: compressed.count - 8, by: max(1, compressed.count / 24)) {
            var damaged = compressed
            damaged[position] ^= 0xff
            let path = directory.path("flip-\(position).tar.gz")
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let (_, error) = try Self.readUntilError(path)
            if let error {
                failures += 1
                #expect([.corruptArchive, .invalidSample].contains(error.kind), "\(error)")
            }
        }
        #expect(failures > 0)
    }

    @Test("pipe: reads a shard from a command, plain or compressed")
    func pipeSource() throws {
        let directory = try TemporaryDirectory(prefix: "wds-corrupt")
        let path = directory.path("a.tar")
        try WDSShards.write(Self.members(), to: path)
        let (keys, error) = try Self.readUntilError("pipe:cat \(path)")
        #expect(error == nil && keys.count == 10)
        try Data(try WDSShards.gzip(try WDSShards.archive(Self.members()))).write(to: URL(fileURLWithPath: path + ".gz"))
        let (gzKeys, gzError) = try Self.readUntilError("pipe:cat \(path).gz")
        #expect(gzError == nil && gzKeys.count == 10)
        let samples = try WDSShards.readAll("pipe:cat \(path)")
        #expect(samples.first?.source.url == "pipe:cat \(path)")
    }

    @Test("a failing pipe: command is an io error naming the URL")
    func failingCommand() throws {
        let directory = try TemporaryDirectory(prefix: "wds-corrupt")
        let path = directory.path("a.tar")
        try WDSShards.write(Self.members(), to: path)
        let url = "pipe:cat \(path); exit 3"
        let (keys, error) = try Self.readUntilError(url)
        // The status is known only after the stream: every sample is whole and delivered, then the error, which
        // cost no sample (no key).
        #expect(keys.count == 10)
        let failure = try #require(error)
        #expect(failure.kind == .io && failure.location == url && failure.key == nil)
        let missingURL = "pipe:cat \(directory.path("missing.tar")) 2>/dev/null"
        var reported: LoaderError?
        do {
            reported = try Self.readUntilError(missingURL).error
        } catch {
            reported = error as? LoaderError
        }
        let missing = try #require(reported, "a command that fails without output must be reported")
        #expect(missing.kind == .io && missing.location == missingURL, "\(missing)")
    }

    @Test("secure mode refuses pipe: shards when the dataset is made and when a reader is opened")
    func secureMode() throws {
        do {
            _ = try WebDatasetDataset("pipe:cat a-{0..1}.tar", options: WebDatasetOptions(secureMode: true))
            Issue.record("secure mode accepted a pipe: pattern")
        } catch {
            #expect(error.kind == .io && error.message.contains("secure mode") && error.location == "pipe:cat a-0.tar")
        }
        do {
            _ = try WebDatasetShardReader(url: "pipe:cat a.tar", options: WebDatasetOptions(secureMode: true))
            Issue.record("secure mode opened a pipe: shard")
        } catch {
            #expect(error.kind == .io && error.message.contains("secure mode"))
        }
    }
}
