import Augment
import Foundation
import Loader
import Tar
import Testing
import TestSupport

/// Builds small shards for the WebDataset tests.
enum WDSShards {
    /// A tiny PNG-like payload (only the bytes matter here).
    static let image: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]

    /// The bytes of a tar archive holding `members` in order.
    static func archive(_ members: [(String, [UInt8])]) throws -> [UInt8] {
        let writer = TarWriter()
        for (name, data) in members { try writer.addFile(name, contents: data) }
        try writer.finish()
        return writer.sink.bytes
    }

    /// Writes an archive to `path`.
    static func write(_ members: [(String, [UInt8])], to path: String) throws {
        try Data(try archive(members)).write(to: URL(fileURLWithPath: path))
    }

    /// All samples of a shard, or the first error.
    static func readAll(_ url: String, options: WebDatasetOptions = WebDatasetOptions(secureMode: false)) throws -> [Sample] {
        var reader = try WebDatasetShardReader(url: url, options: options)
        var samples: [Sample] = []
        while let sample = try reader.next() { samples.append(sample) }
        return samples
    }

    /// UTF-8 bytes.
    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    /// Gzip-compresses bytes with the system's gzip.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        Array(try PeerPython.runProcess("/bin/gzip", ["-cn"], input: Data(bytes)))
    }
}

@Suite("WebDataset sample decoding")
struct WebDatasetDecodingTests {
    @Test("image, label, caption, class name, metadata and source of a sample")
    func fields() throws {
        let directory = try TemporaryDirectory(prefix: "wds-decode")
        let path = directory.path("a.tar")
        try WDSShards.write([
            ("k/one.jpg", WDSShards.image), ("k/one.cls", WDSShards.text(" 1\n")), ("k/one.txt", WDSShards.text("a cat")),
            ("k/one.json", WDSShards.text(#"{"label": 0, "caption": "json caption", "w": 3, "tags": ["x", "y"], "ok": true}"#)),
            ("k/one.extra", WDSShards.text("note")),
            ("two.PNG", WDSShards.image), ("two.json", WDSShards.text(#"{"label": 2, "caption": "from json"}"#)),
            ("three.seg.png", WDSShards.image), ("three.webp", WDSShards.image),
        ], to: path)
        let options = WebDatasetOptions(labelJSONField: "label", classNames: ["cat", "dog", "bird"], captionJSONField: "caption",
                                        secureMode: false)
        let samples = try WDSShards.readAll(path, options: options)
        try #require(samples.count == 3)
        #expect(samples[0].key == "k/one")
        #expect(samples[0].label == 1)
        #expect(samples[0].className == "dog")
        #expect(samples[0].caption == "a cat")
        #expect(samples[0].metadata["extra"] == "note")
        #expect(samples[0].metadata["w"] == "3")
        #expect(samples[0].metadata["tags"] == #"["x","y"]"#)
        #expect(samples[0].metadata["ok"] == "true")
        #expect(samples[0].metadata["cls"] == nil && samples[0].metadata["txt"] == nil)
        #expect(samples[0].source.url == path)
        #expect(samples[0].source.path == "k/one.jpg")
        #expect(samples[0].image == .encoded(WDSShards.image))
        #expect(samples[1].label == 2 && samples[1].className == "bird" && samples[1].caption == "from json")
        #expect(samples[2].key == "three" && samples[2].source.path == "three.webp")
        #expect(samples[2].label == nil && samples[2].className == nil)
    }

    @Test("class names from a text part mapped through the class list; unknown names are errors")
    func classNameExtension() throws {
        let directory = try TemporaryDirectory(prefix: "wds-decode")
        let path = directory.path("a.tar")
        try WDSShards.write([
            ("a.jpg", WDSShards.image), ("a.class.txt", WDSShards.text("dog\n")),
            ("b.jpg", WDSShards.image), ("b.class.txt", WDSShards.text("wolf")),
            ("c.jpg", WDSShards.image), ("c.class.txt", WDSShards.text("cat")),
        ], to: path)
        let options = WebDatasetOptions(classNameExtension: "class.txt", classNames: ["cat", "dog"], secureMode: false)
        var reader = try WebDatasetShardReader(url: path, options: options)
        let first = try #require(try reader.next())
        #expect(first.label == 1 && first.className == "dog")
        do {
            _ = try reader.next()
            Issue.record("an unknown class name was accepted")
        } catch {
            #expect(error.kind == .invalidLabel && error.key == "b" && error.member == "b.class.txt")
        }
        let third = try #require(try reader.next())
        #expect(third.label == 0 && third.className == "cat")
    }

    @Test("gzipped parts are gunzipped: image, label and caption")
    func gzipParts() throws {
        let directory = try TemporaryDirectory(prefix: "wds-decode")
        let path = directory.path("a.tar")
        try WDSShards.write([
            ("a.jpg.gz", try WDSShards.gzip(WDSShards.image)), ("a.cls.gz", try WDSShards.gzip(WDSShards.text("5"))),
            ("a.txt.gz", try WDSShards.gzip(WDSShards.text("zipped"))), ("a.note.gz", try WDSShards.gzip(WDSShards.text("meta"))),
        ], to: path)
        let sample = try #require(try WDSShards.readAll(path).first)
        #expect(sample.image == .encoded(WDSShards.image))
        #expect(sample.label == 5 && sample.caption == "zipped" && sample.metadata["note"] == "meta")
    }

    @Test("a sample without an image is a noImage error, one without a required label an invalidLabel error; reading goes on")
    func missingParts() throws {
        let directory = try TemporaryDirectory(prefix: "wds-decode")
        let path = directory.path("a.tar")
        try WDSShards.write([
            ("a.jpg", WDSShards.image), ("b.txt", WDSShards.text("no image")), ("b.cls", WDSShards.text("1")),
            ("c.jpg", WDSShards.image), ("d.jpg", WDSShards.image), ("d.cls", WDSShards.text("3")),
        ], to: path)
        var reader = try WebDatasetShardReader(url: path, options: WebDatasetOptions(requiresLabel: true, secureMode: false))
        #expect { _ = try reader.next() } throws: { ($0 as? LoaderError)?.kind == .invalidLabel }  // a: no label
        do {
            _ = try reader.next()
            Issue.record("a sample without an image was accepted")
        } catch {
            #expect(error.kind == .noImage && error.key == "b" && error.member == "b.txt" && error.location == path)
            #expect(error.offset == 1024)
            #expect(error.description.contains("no image"))
        }
        #expect(throws: LoaderError.self) { _ = try reader.next() }  // c: no label
        #expect(try reader.next()?.label == 3)
        let end = try reader.next()
        #expect(end == nil)
    }

    @Test("a duplicate extension drops that sample with an error naming key, member, shard and offset; reading goes on")
    func duplicateExtension() throws {
        let directory = try TemporaryDirectory(prefix: "wds-decode")
        let path = directory.path("a.tar")
        try WDSShards.write([
            ("a.jpg", WDSShards.image), ("a.JPG", WDSShards.image), ("a.cls", WDSShards.text("1")),
            ("b.jpg", WDSShards.image),
        ], to: path)
        var reader = try WebDatasetShardReader(url: path, options: WebDatasetOptions(secureMode: false))
        do {
            _ = try reader.next()
            Issue.record("a duplicate extension was accepted")
        } catch {
            #expect(error.kind == .invalidSample)
            #expect(error.key == "a" && error.member == "a.JPG" && error.offset == 1024 && error.location == path)
        }
        #expect(try reader.next()?.key == "b")
        let end = try reader.next()
        #expect(end == nil)
    }

    @Test("unparsable labels are invalidLabel errors, unparsable captions and JSON invalidSample errors")
    func badFields() throws {
        let directory = try TemporaryDirectory(prefix: "wds-decode")
        let path = directory.path("a.tar")
        try WDSShards.write([
            ("a.jpg", WDSShards.image), ("a.cls", WDSShards.text("seven")),
            ("b.jpg", WDSShards.image), ("b.txt", [0xff, 0xfe]),
            ("c.jpg", WDSShards.image), ("c.json", WDSShards.text("{broken")),
            ("d.jpg", WDSShards.image), ("d.json", WDSShards.text(#"{"label": "x"}"#)),
        ], to: path)
        var reader = try WebDatasetShardReader(url: path, options: WebDatasetOptions(labelJSONField: "label", secureMode: false))
        for key in ["a", "b", "c", "d"] {
            do {
                _ = try reader.next()
                Issue.record("sample \(key) was accepted")
            } catch {
                #expect(error.kind == (["a", "d"].contains(key) ? .invalidLabel : .invalidSample) && error.key == key, "\(key): \(error)")
            }
        }
        let end = try reader.next()
        #expect(end == nil)
    }

    @Test("metadata members, names without a dot and non-empty __bad__ samples are skipped as webdataset skips them")
    func skippedMembers() throws {
        let directory = try TemporaryDirectory(prefix: "wds-decode")
        let path = directory.path("a.tar")
        try WDSShards.write([
            ("__meta__", WDSShards.text("x")), ("__info__/list.json", WDSShards.text("{}")), ("README", WDSShards.text("x")),
            ("a.jpg", WDSShards.image), ("bad.jpg", WDSShards.image), ("bad.__bad__", WDSShards.text("1")),
            ("ok.jpg", WDSShards.image), ("ok.__bad__", []),
        ], to: path)
        let samples = try WDSShards.readAll(path)
        #expect(samples.map(\.key) == ["a", "ok"])
    }

    @Test("the dataset expands its pattern, opens shards by index, and refuses bad URLs")
    func dataset() throws {
        let directory = try TemporaryDirectory(prefix: "wds-decode")
        for index in 0..<3 {
            try WDSShards.write([("s\(index).jpg", WDSShards.image)], to: directory.path("shard-\(index).tar"))
        }
        let dataset = try WebDatasetDataset(directory.path("shard-{0..2}.tar"), options: WebDatasetOptions(secureMode: false))
        #expect(dataset.shards.count == 3)
        var keys: [String] = []
        for index in dataset.shards.indices {
            var reader = try dataset.open(shard: index)
            while let sample = try reader.next() { keys.append(sample.key) }
        }
        #expect(keys == ["s0", "s1", "s2"])
        #expect(throws: LoaderError.self) { _ = try dataset.open(shard: 3) }
        let fileURL = try WDSShards.readAll("file://" + directory.path("shard-1.tar"))
        #expect(fileURL.map(\.key) == ["s1"])
        do {
            _ = try WebDatasetShardReader(url: "https://example.com/a.tar", options: WebDatasetOptions(secureMode: false))
            Issue.record("an http URL was accepted")
        } catch {
            #expect(error.kind == .io && error.message.contains("pipe:curl"))
        }
        do {
            _ = try WebDatasetShardReader(url: directory.path("missing.tar"), options: WebDatasetOptions(secureMode: false))
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.kind == .io && error.location == directory.path("missing.tar"))
        }
        #expect(throws: LoaderError.self) { _ = try WebDatasetDataset(shards: []) }
    }

    @Test("shards take class names from --classes or a classes.txt beside them; options' names win; bad files are errors")
    func classNamesBesideShards() throws {
        let directory = try TemporaryDirectory(prefix: "wds-classes")
        try WDSShards.write([("a.jpg", WDSShards.image), ("a.cls", WDSShards.text("1"))], to: directory.path("shard-0.tar"))
        // No file: no names.
        #expect(try Dataset.open(directory.path("shard-0.tar")).classNames.isEmpty)
        // classes.txt beside the first shard, one per line, blank lines and surrounding spaces ignored.
        try "T-shirt/top\n Trouser \n\n".write(toFile: directory.path("classes.txt"), atomically: true, encoding: .utf8)
        let named = try Dataset.open(directory.path("shard-{0..0}.tar"))
        #expect(named.classNames == ["T-shirt/top", "Trouser"])
        var className: String?
        named.forEachSample { result in className = try? result.get().className; return false }
        #expect(className == "Trouser")
        // An explicit file wins over classes.txt; names in the options win over both.
        try "x\ny\n".write(toFile: directory.path("other.txt"), atomically: true, encoding: .utf8)
        #expect(try Dataset.open(directory.path("shard-0.tar"), classNamesFile: directory.path("other.txt")).classNames == ["x", "y"])
        let options = WebDatasetOptions(classNames: ["p", "q"])
        #expect(try Dataset.open(directory.path("shard-0.tar"), options: options).classNames == ["p", "q"])
        // A named file that is missing or empty is an error naming it.
        for bad in ["missing.txt", "empty.txt"] {
            if bad == "empty.txt" { try "\n".write(toFile: directory.path(bad), atomically: true, encoding: .utf8) }
            do {
                _ = try Dataset.open(directory.path("shard-0.tar"), classNamesFile: directory.path(bad))
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.location == directory.path(bad))
            }
        }
    }
}
