import CacheShard
import Foundation
import Loader
import Testing
import TestSupport

/// One sample as the live Python `webdataset` groups it (`Tests/Peers/wds_dump.py`).
struct WDSPeerLine: Decodable {
    var shard: String
    var peer: String
    var key: String?
    var url: String?
    var parts: [String: String]?
    var decoded: [String: WDSDecodedValue]?
    var error: String?
}

/// A value webdataset's default decoder returned: an integer, a string, or an error.
enum WDSDecodedValue: Decodable, Equatable {
    case integer(Int)
    case bigInteger
    case text(String)
    case failure(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if (try? container.decode(Double.self)) != nil {
            self = .bigInteger
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .failure(try container.decode([String: String].self)["error"] ?? "?")
        }
    }
}

/// The shards `Tests/Peers/wds_make_shards.py` builds.
struct WDSShardManifest: Decodable {
    var shards: [String]
    var errors: [String]
}

/// Shards built by the peer's own writers and by GNU tar, read by the live `webdataset` and by this module.
@Suite("WebDataset against the live webdataset peer")
struct WebDatasetPeerTests {
    /// Builds the peer shards in a fresh directory.
    static func buildShards() throws -> (TemporaryDirectory, WDSShardManifest) {
        let directory = try TemporaryDirectory(prefix: "wds-peer")
        let output = try PeerPython.run("wds_make_shards.py", [directory.url.path])
        return (directory, try JSONDecoder().decode(WDSShardManifest.self, from: output))
    }

    /// Runs the peer over URLs and groups its lines by shard.
    static func peerSamples(_ urls: [String]) throws -> [String: [WDSPeerLine]] {
        let output = try PeerPython.run("wds_dump.py", urls)
        var byShard: [String: [WDSPeerLine]] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let entry = try JSONDecoder().decode(WDSPeerLine.self, from: Data(line.utf8))
            byShard[entry.shard, default: []].append(entry)
        }
        return byShard
    }

    /// Our raw samples of a shard, as the peer would list them (samples with a non-empty `__bad__` part dropped),
    /// stopping at the first error.
    static func ourSamples(_ url: String) throws -> (samples: [WebDatasetRawSample], error: LoaderError?) {
        var reader = try WebDatasetShardReader(url: url, options: WebDatasetOptions(secureMode: false))
        var samples: [WebDatasetRawSample] = []
        do {
            while let sample = try reader.nextRaw() {
                if let bad = sample.part("__bad__"), !bad.data.isEmpty { continue }
                samples.append(sample)
            }
        } catch {
            return (samples, error)
        }
        return (samples, nil)
    }

    @Test("grouping, keys, extensions and bytes match webdataset on every shard")
    func groupingMatchesPeer() throws {
        let (directory, manifest) = try Self.buildShards()
        var urls = manifest.shards.map { directory.path($0) }
        urls.append("pipe:cat \(directory.path("writer-000001.tar"))")
        urls.append("pipe:gzip -dc \(directory.path("gnutar-pax.tar.gz"))")
        let peer = try Self.peerSamples(urls)
        var comparedSamples = 0, comparedParts = 0, peerErrors = 0
        for url in urls {
            let lines = try #require(peer[url], "the peer printed nothing for \(url)")
            let peerSamples = lines.filter { $0.error == nil }
            let (ours, ourError) = try Self.ourSamples(url)
            #expect(ours.count >= peerSamples.count, "\(url): we read \(ours.count) samples, the peer \(peerSamples.count)")
            for (mine, theirs) in zip(ours, peerSamples) {
                #expect(mine.key == theirs.key, "\(url): key")
                #expect(url == theirs.url, "\(url): __url__")
                var digests: [String: String] = [:]
                for part in mine.parts { digests[part.extensionName] = SHA256.digest(part.data).description }
                #expect(digests == theirs.parts, "\(url) key \(mine.key): parts differ")
                comparedParts += digests.count
            }
            comparedSamples += min(ours.count, peerSamples.count)
            if let failure = lines.last?.error {
                peerErrors += 1
                #expect(manifest.errors.contains { url.hasSuffix($0) }, "\(url): unexpected peer error \(failure)")
                let error = try #require(ourError, "\(url): the peer failed (\(failure)) but we did not")
                #expect(error.kind == .invalidSample && error.message.contains("duplicate"), "\(url): \(error)")
                #expect(ours.count == peerSamples.count, "\(url): samples before the duplicate")
            } else {
                #expect(ourError == nil, "\(url): \(String(describing: ourError))")
                #expect(ours.count == peerSamples.count, "\(url): sample count")
            }
        }
        print("WebDataset peer (webdataset 1.0.2, \(Set(peer.values.flatMap { $0.map(\.peer) }).sorted())): "
              + "\(urls.count) shards, \(comparedSamples) samples, \(comparedParts) parts identical; "
              + "\(peerErrors) shards where both report a duplicate extension")
        #expect(comparedSamples > 60)
    }

    @Test("labels and captions decode as webdataset's default decoder decodes them")
    func decodingMatchesPeer() throws {
        let (directory, _) = try Self.buildShards()
        let url = directory.path("labels.tar")
        let peer = try #require(try Self.peerSamples([url])[url])
        var reader = try WebDatasetShardReader(url: url, options: WebDatasetOptions(secureMode: false))
        var compared = 0
        for line in peer {
            let decoded = try #require(line.decoded)
            #expect(decoded.count == 1, "\(line.key ?? "?"): one decoded field per test sample")
            let (field, value) = try #require(decoded.first)
            let base = field.hasSuffix(".gz") ? String(field.dropLast(3)) : field
            switch value {
            case .failure, .bigInteger:
                // Peer failures must fail here too; integers beyond 64 bits fail here deliberately.
                #expect(throws: LoaderError.self, "\(line.key ?? "?").\(field) should fail as in the peer") {
                    _ = try reader.next()
                }
            case .integer(let label):
                let sample = try #require(try reader.next())
                #expect(sample.key == line.key)
                #expect(sample.label == label, "\(sample.key).\(field)")
            case .text(let caption):
                let sample = try #require(try reader.next())
                #expect(sample.key == line.key)
                #expect(base == "txt" || base == "text")
                #expect(sample.caption == caption, "\(sample.key).\(field)")
                #expect(sample.label == nil)
            }
            compared += 1
        }
        let end = try reader.next()
        #expect(end == nil)
        print("WebDataset decoding peer (webdataset default decoder): \(compared) label/caption fields compared")
        #expect(compared == 22)
    }
}
