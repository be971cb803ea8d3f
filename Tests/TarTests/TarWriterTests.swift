import Foundation
@testable import Tar
import Testing
import TestSupport

/// Archives this module writes are read by Python `tarfile` and GNU tar exactly as written.
@Suite struct TarWriterTests {
    /// The members the interoperability test writes: every case that needs ustar prefix splitting or PAX records.
    static func members() -> [TarMember] {
        let payload = TarTestSupport.payload
        let split = String(repeating: "p", count: 60) + "/" + String(repeating: "q", count: 90) + ".bin"
        let tooLongForPrefix = String(repeating: "z", count: 130) + ".bin"
        let deep = (0..<6).map { "level\($0)" + String(repeating: "x", count: 50) }.joined(separator: "/") + "/leaf.bin"
        return [
            TarMember(name: "data", type: .directory, size: 0, mode: 0o755, modificationTime: 1_700_000_000),
            TarMember(name: "data/a.jpg", type: .regular, size: 700, modificationTime: 1_700_000_000, data: payload(700, 1)),
            TarMember(name: "data/empty", type: .regular, size: 0, data: []),
            TarMember(name: "data/511", type: .regular, size: 511, data: payload(511, 2)),
            TarMember(name: "data/512", type: .regular, size: 512, data: payload(512, 3)),
            TarMember(name: "data/513", type: .regular, size: 513, data: payload(513, 4)),
            TarMember(name: split, type: .regular, size: 10, data: payload(10, 5)),
            TarMember(name: tooLongForPrefix, type: .regular, size: 20, data: payload(20, 6)),
            TarMember(name: deep, type: .regular, size: 30, data: payload(30, 7)),
            TarMember(name: "data/caf\u{00e9}/\u{732b}.png", type: .regular, size: 40, data: payload(40, 8)),
            TarMember(name: "data/link", type: .symbolicLink, size: 0, mode: 0o777,
                      linkName: "target/" + String(repeating: "t", count: 120)),
            TarMember(name: "data/hard", type: .hardLink, size: 0, linkName: "data/a.jpg"),
            TarMember(name: "data/old", type: .regular, size: 5, modificationTime: -86_400, data: payload(5, 9)),
            TarMember(name: "data/ids", type: .regular, size: 6, uid: 5_000_000, gid: 7, userName: "\u{00e9}l\u{00e8}ve",
                      groupName: String(repeating: "g", count: 40), data: payload(6, 10)),
        ]
    }

    static func write(_ members: [TarMember], to path: String) throws {
        let writer = try TarWriter(path: path)
        for member in members { try writer.add(member) }
        try writer.finish()
    }

    @Test func pythonTarfileReadsWhatWeWrite() throws {
        let directory = try TemporaryDirectory(prefix: "tar-write")
        let path = directory.path("ours.tar")
        let members = Self.members()
        try Self.write(members, to: path)
        let manifest = try TarTestSupport.decodeManifest(PeerPython.run("tar_manifest.py", [path]))
        let expected = members.map(TarTestSupport.peerView)
        #expect(manifest[path] == expected)
        // And we read our own output back identically.
        let again = try TarTestSupport.readAll(path: path)
        #expect(again.map(TarTestSupport.peerView) == expected)
        #expect(again.first { $0.name == "data/ids" }?.userName == "\u{00e9}l\u{00e8}ve")
        #expect(again.first { $0.name == "data/ids" }?.groupName == String(repeating: "g", count: 40))
    }

    @Test func gnuTarListsAndExtractsWhatWeWrite() throws {
        let directory = try TemporaryDirectory(prefix: "tar-write")
        let path = directory.path("ours.tar")
        let members = Self.members()
        try Self.write(members, to: path)
        let listing = String(decoding: try PeerPython.runProcess("/usr/bin/tar", ["-tvf", path]), as: UTF8.self)
        let lines = listing.split(separator: "\n")
        #expect(lines.count == members.count)
        for member in members where member.name.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(listing.contains(member.name), "tar -tvf lacks \(member.name)")
        }
        #expect(lines.first?.hasPrefix("drwxr-xr-x") == true)
        let out = directory.url.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        _ = try PeerPython.runProcess("/usr/bin/tar", ["-xf", path, "-C", out.path])
        for member in members where member.type == .regular {
            let data = try Data(contentsOf: out.appendingPathComponent(member.name))
            #expect([UInt8](data) == member.data, "\(member.name)")
        }
    }

    @Test func outputIsDeterministicAndBlockAligned() throws {
        let first = TarWriter()
        let second = TarWriter()
        for writer in [first, second] {
            for member in Self.members() { try writer.add(member) }
            try writer.finish()
        }
        #expect(first.sink.bytes == second.sink.bytes)
        #expect(first.sink.bytes.count % 512 == 0)
        #expect(first.sink.bytes.suffix(1024).allSatisfy { $0 == 0 })
    }

    @Test func namesUsePrefixSplitOrPAXOnlyWhenNeeded() throws {
        func header(_ name: String) throws -> [UInt8] {
            try TarHeaderEncoder.headerBytes(for: TarMember(name: name, type: .regular, size: 0))
        }
        #expect(try header(String(repeating: "a", count: 100)).count == 512)
        let split = String(repeating: "b", count: 150) + "/" + String(repeating: "c", count: 100)
        let splitHeader = try header(split)
        #expect(splitHeader.count == 512)
        #expect(Array(splitHeader[345..<495]) == Array(repeating: UInt8(ascii: "b"), count: 150))
        #expect(try header(String(repeating: "a", count: 101)).count > 512)
        #expect(try header("caf\u{00e9}").count > 512)
        #expect(try header(String(repeating: "b", count: 156) + "/c").count > 512)
    }

    @Test func sizesOfEightGiBAndMoreGoToPAX() throws {
        let size: Int64 = 9 << 30
        let bytes = try TarHeaderEncoder.headerBytes(for: TarMember(name: "huge.bin", type: .regular, size: size))
        #expect(bytes.count == 1536)
        let records = try PAXRecords.decode(Array(bytes[512..<1024]))
        #expect(records["size"] == String(size))
        #expect(Array(bytes[1024 + 124..<1024 + 136]) == Array("00000000000\0".utf8))
        // The reader takes the PAX size: a synthetic stream of header + 9 GiB + end marker lists the member.
        let source = SyntheticByteSource(segments: [.bytes(bytes), .filler(size), .bytes([UInt8](repeating: 0, count: 1024))])
        let listed = try TarReader(source: source, options: TarReaderOptions(loadsData: false)).readAll()
        #expect(listed.map(\.size) == [size])
        #expect(listed.first?.dataOffset == 1536)
        // Loading it is refused before allocating.
        let refusing = TarReader(
            source: SyntheticByteSource(segments: [.bytes(bytes), .filler(size)]), archiveName: "huge.tar")
        let error = #expect(throws: TarError.self) { try refusing.next() }
        #expect(error?.kind == .memberTooLarge)
        #expect(error?.memberName == "huge.bin")
        #expect(error?.offset == 1024)
    }

    @Test func streamsLargeMembersFromASource() throws {
        let writer = TarWriter()
        var source = MemoryByteSource(TarTestSupport.payload(200_000, seed: 11))
        try writer.addFile("stream.bin", size: 200_000, from: &source)
        var short = MemoryByteSource([1, 2, 3])
        let error = #expect(throws: TarError.self) { try writer.addFile("short.bin", size: 10, from: &short) }
        #expect(error?.kind == .truncatedData)
        let fresh = TarWriter()
        var again = MemoryByteSource(TarTestSupport.payload(200_000, seed: 11))
        try fresh.addFile("stream.bin", size: 200_000, from: &again)
        try fresh.finish()
        let members = try TarReader(bytes: fresh.sink.bytes).readAll()
        #expect(members.map(\.data) == [TarTestSupport.payload(200_000, seed: 11)])
    }

    @Test func rejectsInvalidMembers() throws {
        let writer = TarWriter()
        #expect(throws: TarError.self) { try writer.addFile("", contents: []) }
        #expect(throws: TarError.self) { try writer.addFile("a\0b", contents: []) }
        #expect(throws: TarError.self) {
            try writer.add(TarMember(name: "x", type: .regular, size: 5, data: [1]))
        }
        try writer.finish()
        let error = #expect(throws: TarError.self) { try writer.addFile("late", contents: []) }
        #expect(error?.kind == .invalidMember)
    }
}

/// A source made of literal byte runs and "filler" runs whose contents are never looked at (for huge members).
struct SyntheticByteSource: ByteSource {
    enum Segment {
        case bytes([UInt8])
        case filler(Int64)
    }

    private var segments: [Segment]
    private var position: Int64 = 0

    init(segments: [Segment]) {
        self.segments = segments
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
        while let segment = segments.first {
            switch segment {
            case .bytes(let bytes):
                let remaining = bytes.count - Int(position)
                if remaining == 0 { break }
                let count = min(remaining, buffer.count)
                for index in 0..<count { buffer[index] = bytes[Int(position) + index] }
                position += Int64(count)
                return count
            case .filler(let size):
                let remaining = size - position
                if remaining == 0 { break }
                let count = Int(min(remaining, Int64(buffer.count)))
                position += Int64(count)
                return count
            }
            segments.removeFirst()
            position = 0
        }
        return 0
    }
}
