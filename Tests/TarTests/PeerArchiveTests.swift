import Foundation
import Tar
import Testing
import TestSupport

/// Archives written by the field's tools (Python `tarfile`, GNU tar) read back exactly as Python reads them.
@Suite struct PeerArchiveTests {
    @Test func readsPythonTarfileArchivesInEveryFormatAndCompression() throws {
        let directory = try TemporaryDirectory(prefix: "tar-peer")
        let manifest = try TarTestSupport.decodeManifest(PeerPython.run("tar_make_archives.py", [directory.url.path]))
        #expect(manifest.count == 15)
        for (archive, expected) in manifest.sorted(by: { $0.key < $1.key }) {
            let members = try TarTestSupport.readAll(path: directory.path(archive))
            #expect(members.map(TarTestSupport.peerView) == expected, "\(archive)")
        }
        // The formats exercise what they should.
        let gnu = try TarTestSupport.readAll(path: directory.path("gnu.tar"))
        #expect(gnu.contains { $0.name.utf8.count > 255 })
        #expect(gnu.contains { $0.uid == 3_000_000 })  // base-256 uid
        let pax = try TarTestSupport.readAll(path: directory.path("pax.tar"))
        #expect(pax.allSatisfy { $0.paxRecords["comment"] == "global record" })
        let ustar = try TarTestSupport.readAll(path: directory.path("ustar.tar"))
        #expect(ustar.contains { $0.name.hasPrefix(String(repeating: "p", count: 60) + "/") && $0.name.utf8.count > 100 })
    }

    @Test func readsTheSameThroughTinyReadsAndSmallBuffers() throws {
        let directory = try TemporaryDirectory(prefix: "tar-peer")
        try PeerPython.run("tar_make_archives.py", [directory.url.path])
        for archive in ["ustar.tar", "gnu.tar", "pax.tar.gz", "pax.tar.multi.zst"] {
            let bytes = try [UInt8](Data(contentsOf: directory.url.appendingPathComponent(archive)))
            let expected = try TarTestSupport.readAll(path: directory.path(archive))
            let trickle = try DecompressingByteSource(TrickleByteSource(bytes, seed: 7))
            let reader = TarReader(source: trickle, archiveName: archive,
                                   options: TarReaderOptions(includesNonRegularMembers: true, bufferSize: 512))
            #expect(try reader.readAll() == expected, "\(archive)")
            let listing = try TarReader(bytes: bytes, options: TarReaderOptions(loadsData: false)).readAll()
            #expect(listing.map(\.name) == expected.filter(\.isRegular).map(\.name))
            #expect(listing.allSatisfy { $0.data.isEmpty })
        }
    }

    @Test(arguments: ["gnu", "pax"])
    func readsGNUTarArchives(format: String) throws {
        let directory = try TemporaryDirectory(prefix: "tar-gnu")
        let root = directory.url.appendingPathComponent("root")
        let long = String(repeating: "d", count: 120)
        let deep = "tree/\(long)/\(long)/\(String(repeating: "f", count: 90)).bin"
        let files: [String: [UInt8]] = [
            "tree/small.txt": Array("hello\n".utf8),
            "tree/empty": [],
            "tree/\u{00fc}ber/caf\u{00e9}.jpg": TarTestSupport.payload(1000, seed: 3),
            "tree/\(long).bin": TarTestSupport.payload(512, seed: 4),
            deep: TarTestSupport.payload(5000, seed: 5),
        ]
        for (name, contents) in files {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents).write(to: url)
        }
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("tree/link").path, withDestinationPath: String(repeating: "t", count: 150))
        let archive = directory.path("gnu-\(format).tar")
        _ = try PeerPython.runProcess("/usr/bin/tar", ["--format=\(format)", "-cf", archive, "-C", root.path, "tree"])
        let manifest = try TarTestSupport.decodeManifest(PeerPython.run("tar_manifest.py", [archive]))
        let members = try TarTestSupport.readAll(path: archive)
        #expect(members.map(TarTestSupport.peerView) == manifest[archive])
        let regular = Dictionary(uniqueKeysWithValues: members.filter(\.isRegular).map { ($0.name, $0.data) })
        #expect(regular == files)
        #expect(members.contains { $0.type == .symbolicLink && $0.linkName.utf8.count == 150 })
    }
}

/// A source that hands out its bytes a few at a time, to exercise every buffer boundary in the reader.
struct TrickleByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    private var state: UInt64

    init(_ bytes: [UInt8], seed: UInt64) {
        self.bytes = bytes
        state = seed
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let step = Int(state >> 59) + 1  // 1…32 bytes
        let count = min(step, buffer.count, bytes.count - position)
        for index in 0..<count { buffer[index] = bytes[position + index] }
        position += count
        return count
    }
}
