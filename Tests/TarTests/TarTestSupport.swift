import CacheShard
import Foundation
import Tar
import TestSupport

/// One member as Python's tarfile reads it (see `Tests/Peers/tar_manifest.py`).
struct PeerMember: Decodable, Equatable {
    var name: String
    var type: String
    var size: Int64
    var linkname: String
    var mode: Int64
    var mtime: Int64
    var uid: Int64
    var sha256: String?
}

/// Helpers shared by the tar tests.
enum TarTestSupport {
    /// Decodes the `{archive: [member]}` JSON the peer scripts print.
    static func decodeManifest(_ data: Data) throws -> [String: [PeerMember]] {
        try JSONDecoder().decode([String: [PeerMember]].self, from: data)
    }

    /// How this module's view of a member compares with the peer's.
    static func peerView(_ member: TarMember) -> PeerMember {
        PeerMember(
            name: member.name, type: member.type.description, size: member.type == .regular ? member.size : 0,
            linkname: member.linkName, mode: member.mode, mtime: member.modificationTime, uid: member.uid,
            sha256: member.type == .regular ? SHA256.digest(member.data).description : nil)
    }

    /// Reads every member (regular and not) of an archive file.
    static func readAll(path: String) throws -> [TarMember] {
        try TarReader(path: path, options: TarReaderOptions(includesNonRegularMembers: true)).readAll()
    }

    /// Reads every member (regular and not) of archive bytes.
    static func readAll(bytes: [UInt8]) throws(TarError) -> [TarMember] {
        try TarReader(bytes: bytes, archiveName: "test.tar", options: TarReaderOptions(includesNonRegularMembers: true))
            .readAll()
    }

    /// Deterministic test bytes.
    static func payload(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 7 &+ ($0 >> 8)) }
    }

    /// A small archive of our own making with a few members of assorted sizes, a directory, a link, and a PAX name.
    static func sampleArchive() throws -> [UInt8] {
        let writer = TarWriter()
        try writer.addDirectory("dir")
        try writer.addFile("dir/a.jpg", contents: payload(700, seed: 1), modificationTime: 1_700_000_000)
        try writer.addFile("dir/b.cls", contents: Array("7\n".utf8))
        try writer.addSymbolicLink("dir/c", target: "a.jpg")
        try writer.addFile("dir/" + String(repeating: "n", count: 130) + ".txt", contents: payload(512, seed: 2))
        try writer.addFile("dir/empty", contents: [])
        try writer.finish()
        return writer.sink.bytes
    }
}
