import Foundation
import Loader
import Testing
import TestSupport

/// The peer's answer for one pattern: the expansions, or an error.
enum WDSExpansion: Decodable, Equatable {
    case strings([String])
    case failure(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let strings = try? container.decode([String].self) {
            self = .strings(strings)
        } else {
            self = .failure(try container.decode([String: String].self)["error"] ?? "?")
        }
    }
}

/// `braceexpand` and `expand_urls` answers for one pattern.
struct WDSExpansionPair: Decodable {
    var brace: WDSExpansion
    var urls: WDSExpansion
}

@Suite("Shard patterns")
struct ShardPatternTests {
    static let patterns: [String] = [
        "train-{000000..000127}.tar", "shard-{0..9}.tar", "s{07..10}", "s{1..3}{a,b}", "{a,b}{1..2}{x,y}",
        "{a..e}", "{e..a}", "{a..g..2}", "{Z..c}", "{z..A..5}", "{A..A}", "{4..1}", "{2..-1}", "{-3..3..2}",
        "{-05..5}", "{0..10..0}", "{1..1}", "{10..1..3}", "{-0..3}", "{0..-3}", "{00..3}", "{1..10..-3}",
        "index.html{,.backup}", "python{2.{5..7},3.{2,3}}", "{a,{b,c}d}e", "{}", "{x}", "{,}", "{,,a}",
        "a{b}c{d,e}", "{1..3,5}", "{1..3}..{4..5}", "a\\{b,c}", "{a\\,b,c}", "\\\\{1,2}", "end\\",
        "{a,b", "a}b", "}{", "a{b{c,d}", "{1{2,3}", "}{a,b}{", "{a}}{b,c}", "x{{a,b}}y", "{{1..2}}",
        "pipe:curl -s http://host/train-{000..003}.tar", "pipe:cat data/{a,b}.tar", "a::b", "a{1,2}::b{3..4}",
        "::", ":::", "a::", "", "no/braces/here.tar", "dir.x/{000..002}.tar.gz", "${X}", "pre-${SHARDS}-{0..1}",
        "unicode-\u{00e9}{\u{00e0},\u{00fc}}", "{1..2}\n", "{1..3\n}", "{a,b}\\\n",
    ]

    /// Random patterns from the characters brace expansion cares about (fixed seed).
    static func generatedPatterns(count: Int) -> [String] {
        let tokens = ["{", "}", "{", "}", ",", "..", "a", "Z", "1", "0", "09", "-", "\\", "x", ":", "::", "/", "{0..2}",
                      "{a,b}", "{3..1}"]
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in (0..<(1 + next(9))).map { _ in tokens[next(tokens.count)] }.joined() }
    }

    @Test("brace expansion and :: lists match braceexpand and webdataset.expand_urls")
    func matchesPeer() throws {
        let patterns = Self.patterns + Self.generatedPatterns(count: 600)
        let input = try JSONEncoder().encode(patterns)
        let output = try PeerPython.run("wds_braceexpand.py", input: input)
        let answers = try JSONDecoder().decode([WDSExpansionPair].self, from: output)
        #expect(answers.count == patterns.count)
        var agreed = 0, failedAlike = 0
        for (pattern, answer) in zip(patterns, answers) {
            let brace: WDSExpansion
            do {
                brace = .strings(try ShardPattern.braceExpand(pattern))
            } catch {
                brace = .failure(error.message)
            }
            switch (brace, answer.brace) {
            case (.strings(let ours), .strings(let theirs)): #expect(ours == theirs, "braceExpand(\(pattern.debugDescription))")
            case (.failure, .failure): failedAlike += 1
            default: Issue.record("braceExpand(\(pattern.debugDescription)): ours \(brace), peer \(answer.brace)")
            }
            // expand_urls: the peer reads the process environment, where no WDS_ variable is set in tests.
            let urls: WDSExpansion
            do {
                urls = .strings(try ShardPattern.expand(pattern, environment: [:]))
            } catch {
                urls = .failure(error.message)
            }
            switch (urls, answer.urls) {
            case (.strings(let ours), .strings(let theirs)): #expect(ours == theirs, "expand(\(pattern.debugDescription))")
            case (.failure, .failure): break
            default: Issue.record("expand(\(pattern.debugDescription)): ours \(urls), peer \(answer.urls)")
            }
            if case .strings = brace, brace == answer.brace { agreed += 1 }
        }
        print("Shard pattern peer (braceexpand 0.1.7 / webdataset.shardlists.expand_urls): \(patterns.count) patterns "
              + "(\(Self.patterns.count) written, the rest generated): \(agreed) identical expansions, \(failedAlike) "
              + "refused by both")
    }

    @Test("${name} reads WDS_name from the environment, repeatedly")
    func environment() throws {
        let urls = try ShardPattern.expand("${ROOT}/x-{0..1}.tar", environment: ["WDS_ROOT": "${BASE}/data", "WDS_BASE": "/srv"])
        #expect(urls == ["/srv/data/x-0.tar", "/srv/data/x-1.tar"])
        #expect(throws: LoaderError.self) { try ShardPattern.expand("${MISSING}.tar", environment: [:]) }
    }

    @Test("secure mode refuses pipe: URLs with a clear error")
    func secureMode() throws {
        let urls = try ShardPattern.expand("pipe:cat a-{0..1}.tar", secureMode: false, environment: [:])
        #expect(urls == ["pipe:cat a-0.tar", "pipe:cat a-1.tar"])
        do {
            _ = try ShardPattern.expand("local.tar::pipe:cat a.tar", secureMode: true, environment: [:])
            Issue.record("secure mode accepted a pipe: URL")
        } catch {
            #expect(error.kind == .io)
            #expect(error.location == "pipe:cat a.tar")
            #expect(error.message.contains("secure mode"))
        }
        #expect(try ShardPattern.expand("a-{0..2}.tar", secureMode: true, environment: [:]).count == 3)
    }

    @Test("huge expansions are refused instead of exhausting memory")
    func hugeExpansion() {
        #expect(throws: LoaderError.self) { try ShardPattern.braceExpand("{0..99999999999}") }
        #expect(throws: LoaderError.self) { try ShardPattern.braceExpand("{0..9999}{0..9999}") }
    }
}
