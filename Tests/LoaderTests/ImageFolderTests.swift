import Augment
import Foundation
import Loader
import Testing
import TestSupport

/// What `Tests/Peers/imagefolder_torchvision.py` reports.
struct TorchvisionIndex: Decodable {
    var available: Bool
    var reason: String?
    var version: String?
    var classes: [String]?
    var samples: [[TorchvisionField]]?
    var error: String?
}

/// A path or a label in the torchvision answer.
enum TorchvisionField: Decodable, Equatable {
    case path(String)
    case label(Int)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let label = try? container.decode(Int.self) {
            self = .label(label)
        } else {
            self = .path(try container.decode(String.self))
        }
    }
}

/// Builds ImageFolder trees on disk.
enum ImageFolderTree {
    /// Creates files (with their path as content), directories (names ending in `/`) and links (`name -> target`).
    static func make(_ entries: [String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "imagefolder")
        let manager = FileManager.default
        for entry in entries {
            if let arrow = entry.range(of: " -> ") {
                let name = String(entry[..<arrow.lowerBound]), target = String(entry[arrow.upperBound...])
                let path = directory.path(name)
                try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try manager.createSymbolicLink(atPath: path, withDestinationPath: target)
            } else if entry.hasSuffix("/") {
                try manager.createDirectory(atPath: directory.path(entry), withIntermediateDirectories: true)
            } else {
                let path = directory.path(entry)
                try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(entry.utf8).write(to: URL(fileURLWithPath: path))
            }
        }
        return directory
    }

    /// Runs the real torchvision on a tree when it is installed.
    static func torchvision(_ root: String, allowEmpty: Bool = false) throws -> TorchvisionIndex {
        let output = try PeerPython.runPreferringHeavy("imagefolder_torchvision.py", [root] + (allowEmpty ? ["--allow-empty"] : []))
        return try JSONDecoder().decode(TorchvisionIndex.self, from: output)
    }
}

@Suite("ImageFolder")
struct ImageFolderTests {
    /// Nested folders, upper-case extensions, non-image files, hidden and linked class folders, linked and broken
    /// files, and directories whose sorted paths differ from a depth-first walk.
    static let tree = [
        "b_cls/x.jpg", "b_cls/Y.JPEG", "b_cls/z.txt", "b_cls/a.png.bak", "b_cls/sub/c.png", "b_cls/sub-2/d.ppm",
        "b_cls/sub.x/e.bmp", "b_cls/sub/deeper/f.webp", "a_cls/1.tif", "a_cls/10.tiff", "a_cls/2.PGM", "a_cls/notes.md",
        ".hidden/h.jpg", "c_link -> b_cls/sub", "file_at_root.jpg", "d_cls/link_to_file.jpg -> ../a_cls/1.tif",
        "d_cls/broken.jpg -> nowhere.jpg", "e_cls/only.webp", "e_cls/emptydir/", "f -> nowhere/",
    ]

    /// torchvision's order for `tree`, derived from its rules: classes sorted, directories by sorted path
    /// (`sorted(os.walk(...))`), files sorted by name, links followed.
    static let expected: [(String, Int)] = [
        (".hidden/h.jpg", 0),
        ("a_cls/1.tif", 1), ("a_cls/10.tiff", 1), ("a_cls/2.PGM", 1),
        ("b_cls/Y.JPEG", 2), ("b_cls/x.jpg", 2), ("b_cls/sub/c.png", 2), ("b_cls/sub-2/d.ppm", 2), ("b_cls/sub.x/e.bmp", 2),
        ("b_cls/sub/deeper/f.webp", 2),
        ("c_link/c.png", 3), ("c_link/deeper/f.webp", 3),
        ("d_cls/broken.jpg", 4), ("d_cls/link_to_file.jpg", 4),
        ("e_cls/only.webp", 5),
    ]

    @Test("classes, order, labels and keys follow torchvision's ImageFolder rules")
    func orderMatchesTorchvisionRules() throws {
        let directory = try ImageFolderTree.make(Self.tree)
        let dataset = try ImageFolderDataset(root: directory.url.path)
        #expect(dataset.classNames == [".hidden", "a_cls", "b_cls", "c_link", "d_cls", "e_cls"])
        let ours = (0..<dataset.count).map { (dataset.key(at: $0), dataset.label(at: $0)) }
        #expect(ours.map(\.0) == Self.expected.map(\.0))
        #expect(ours.map(\.1) == Self.expected.map(\.1))
        let peer = try ImageFolderTree.torchvision(directory.url.path)
        if peer.available {
            let samples = (peer.samples ?? []).map { fields -> (String, Int) in
                guard case .path(let path)? = fields.first, case .label(let label)? = fields.last else { return ("?", -1) }
                return (path, label)
            }
            #expect(peer.classes == dataset.classNames)
            #expect(samples.map(\.0) == ours.map(\.0))
            #expect(samples.map(\.1) == ours.map(\.1))
            print("ImageFolder peer: torchvision \(peer.version ?? "?") (live), \(samples.count) samples compared")
        } else {
            print("ImageFolder peer: torchvision not installed (\(peer.reason ?? "")); checked against its rules "
                  + "(classes sorted, sorted(os.walk(followlinks=True)), sorted file names, lowercased extension match), "
                  + "\(ours.count) samples")
        }
    }

    @Test("samples carry the file's bytes, key, label, class name and source; a broken link is an io error")
    func sampleReading() throws {
        let directory = try ImageFolderTree.make(Self.tree)
        let dataset = try ImageFolderDataset(root: directory.url.path + "/")
        let index = try #require((0..<dataset.count).first { dataset.key(at: $0) == "b_cls/sub/c.png" })
        let sample = try dataset.sample(at: index)
        #expect(sample.key == "b_cls/sub/c.png" && sample.label == 2 && sample.className == "b_cls")
        #expect(sample.image == .encoded(Array("b_cls/sub/c.png".utf8)))
        #expect(sample.source.url == directory.url.path && sample.source.index == index)
        #expect(sample.source.path == directory.url.path + "/b_cls/sub/c.png")
        let linked = try dataset.sample(at: try #require((0..<dataset.count).first { dataset.key(at: $0) == "c_link/c.png" }))
        #expect(linked.image == .encoded(Array("b_cls/sub/c.png".utf8)))
        let broken = try #require((0..<dataset.count).first { dataset.key(at: $0) == "d_cls/broken.jpg" })
        do {
            _ = try dataset.sample(at: broken)
            Issue.record("a broken link was read")
        } catch {
            #expect(error.kind == .io && error.key == "d_cls/broken.jpg" && error.location.hasSuffix("d_cls/broken.jpg"))
        }
        #expect(throws: LoaderError.self) { _ = try dataset.sample(at: dataset.count) }
    }

    @Test("an empty class folder is an error naming it, unless allowEmpty")
    func emptyClass() throws {
        let directory = try ImageFolderTree.make(["a/x.jpg", "b/readme.txt", "c/sub/"])
        do {
            _ = try ImageFolderDataset(root: directory.url.path)
            Issue.record("empty classes were accepted")
        } catch {
            #expect(error.kind == .invalidDataset && error.message.contains("b, c"))
        }
        let dataset = try ImageFolderDataset(root: directory.url.path, allowEmpty: true)
        #expect(dataset.classNames == ["a", "b", "c"] && dataset.count == 1)
        let peer = try ImageFolderTree.torchvision(directory.url.path)
        if peer.available { #expect(peer.error != nil) }
    }

    @Test("no class folder, or no root, is an error")
    func noClass() throws {
        let directory = try ImageFolderTree.make(["x.jpg", "y.png"])
        do {
            _ = try ImageFolderDataset(root: directory.url.path)
            Issue.record("a root without classes was accepted")
        } catch {
            #expect(error.kind == .invalidDataset && error.location == directory.url.path)
        }
        do {
            _ = try ImageFolderDataset(root: directory.path("missing"))
            Issue.record("a missing root was accepted")
        } catch {
            #expect(error.kind == .io)
        }
    }

    @Test("a directory link into its own ancestors is walked once, not forever")
    func linkCycle() throws {
        let directory = try ImageFolderTree.make(["a/x.jpg", "a/sub/y.jpg", "a/sub/up -> ..", "a/self -> ."])
        let dataset = try ImageFolderDataset(root: directory.url.path)
        #expect((0..<dataset.count).map { dataset.key(at: $0) } == ["a/x.jpg", "a/sub/y.jpg"])
    }

    @Test("custom extensions are matched against the lowercased name")
    func customExtensions() throws {
        let directory = try ImageFolderTree.make(["a/x.JPG", "a/y.raw", "a/z.RAW", "b/w.Raw"])
        let dataset = try ImageFolderDataset(root: directory.url.path, extensions: [".raw"])
        #expect((0..<dataset.count).map { dataset.key(at: $0) } == ["a/y.raw", "a/z.RAW", "b/w.Raw"])
    }
}
