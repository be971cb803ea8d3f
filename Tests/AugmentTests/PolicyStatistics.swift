import Foundation
import Testing
import TestSupport
@testable import Augment

/// One operation a policy chose for one image: what both the Swift policies and the live peers report.
struct PolicyEvent: Sendable {
    let image: Int
    let operation: String
    let applied: Bool
    let argument: Double
    let interpolation: String?
}

/// The live timm/torchvision draws (`policy_stats.py all`), fetched once per test run.
enum PolicyPeer {
    static let draws = 5000

    /// The failure of the peer run.
    struct Failure: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    /// The peer's JSON output for every request.
    static let output: Result<Data, Failure> = {
        do {
            return .success(try PeerPython.runPreferringHeavy("policy_stats.py", ["all", "\(draws)"]))
        } catch {
            return .failure(Failure(description: "\(error)"))
        }
    }()

    /// Every request's events and extras, keyed by request name.
    static func all() throws -> [String: Any] {
        let data = try output.get()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "policy_stats.py JSON")
    }

    /// The events of one request.
    static func events(_ key: String) throws -> (source: String, events: [PolicyEvent], extra: [String: Any]) {
        let all = try all()
        let entry = try #require(all[key] as? [String: Any], "peer request \(key)")
        let raw = try #require(entry["events"] as? [[Any]])
        let events = raw.map { row in
            PolicyEvent(image: row[0] as? Int ?? -1, operation: row[1] as? String ?? "?", applied: row[2] as? Bool ?? false,
                        argument: row[3] as? Double ?? 0, interpolation: row[4] as? String)
        }
        return (entry["source"] as? String ?? "?", events, entry["extra"] as? [String: Any] ?? [:])
    }

    /// The torchvision tables.
    static func tables() throws -> [String: Any] {
        try #require(try all()["tables"] as? [String: Any])
    }
}

/// Per-operation statistics of a list of events over a number of images.
struct PolicyStatistics {
    struct Moments {
        var count = 0, sum = 0.0, squares = 0.0
        mutating func add(_ value: Double) { count += 1; sum += value; squares += value * value }
        var mean: Double { count == 0 ? 0 : sum / Double(count) }
        var variance: Double { count < 2 ? 0 : max(0, squares / Double(count) - mean * mean) }
    }

    let images: Int
    var selected: [String: Int] = [:]
    var applied: [String: Int] = [:]
    var arguments: [String: Moments] = [:]
    var negative: [String: Moments] = [:]
    var bicubic: [String: Moments] = [:]

    init(_ events: [PolicyEvent], images: Int, signedAroundZero: Set<String>) {
        self.images = images
        for event in events {
            selected[event.operation, default: 0] += 1
            guard event.applied else { continue }
            applied[event.operation, default: 0] += 1
            arguments[event.operation, default: Moments()].add(event.argument)
            if signedAroundZero.contains(event.operation) {
                negative[event.operation, default: Moments()].add(event.argument < 0 ? 1 : 0)
            }
            if let interpolation = event.interpolation {
                bicubic[event.operation, default: Moments()].add(interpolation == "bicubic" ? 1 : 0)
            }
        }
    }

    /// Compares with a peer's statistics: every difference within 5 standard errors (plus a small floor), and returns
    /// a one-line summary and the failures.
    func compare(with peer: PolicyStatistics, label: String) -> (summary: String, failures: [String]) {
        var failures: [String] = []
        func check(_ what: String, _ ours: Double, _ theirs: Double, _ error: Double, floor: Double = 1e-9) {
            if abs(ours - theirs) > 5 * error + floor {
                failures.append("\(label) \(what): ours \(ours), peer \(theirs) (σ \(error))")
            }
        }
        let names = Set(selected.keys).union(peer.selected.keys)
        var worstRate = 0.0
        for name in names.sorted() {
            let ours = Double(selected[name] ?? 0), theirs = Double(peer.selected[name] ?? 0)
            let rateError = (max(ours, 1).squareRoot() / Double(images) + max(theirs, 1).squareRoot() / Double(peer.images))
            check("\(name) rate per image", ours / Double(images), theirs / Double(peer.images), rateError)
            worstRate = max(worstRate, abs(ours / Double(images) - theirs / Double(peer.images)))
            let oursApplied = Double(applied[name] ?? 0) / max(ours, 1), theirsApplied = Double(peer.applied[name] ?? 0) / max(theirs, 1)
            check("\(name) applied fraction", oursApplied, theirsApplied,
                  (0.25 / max(ours, 1)).squareRoot() + (0.25 / max(theirs, 1)).squareRoot())
            if let a = arguments[name], let b = peer.arguments[name] {
                let error = (a.variance / Double(max(a.count, 1))).squareRoot() + (b.variance / Double(max(b.count, 1))).squareRoot()
                check("\(name) argument mean", a.mean, b.mean, error, floor: 1e-6 * max(1, abs(b.mean)))
                let spread = (a.variance.squareRoot() + b.variance.squareRoot()) / 2
                check("\(name) argument std", a.variance.squareRoot(), b.variance.squareRoot(),
                      spread * (0.5 / Double(max(a.count, 1))).squareRoot() * 2 + spread * 0.02, floor: 1e-6)
            } else if (arguments[name] == nil) != (peer.arguments[name] == nil) {
                failures.append("\(label) \(name): applied on one side only")
            }
            if let a = negative[name], let b = peer.negative[name] {
                check("\(name) negative fraction", a.mean, b.mean,
                      (0.25 / Double(max(a.count, 1))).squareRoot() + (0.25 / Double(max(b.count, 1))).squareRoot())
            }
            if let a = bicubic[name] {
                let b = peer.bicubic[name] ?? Moments()
                check("\(name) bicubic fraction", a.mean, b.mean,
                      (0.25 / Double(max(a.count, 1))).squareRoot() + (0.25 / Double(max(b.count, 1))).squareRoot())
            }
        }
        let applications = applied.values.reduce(0, +), peerApplications = peer.applied.values.reduce(0, +)
        let summary = "\(label): \(names.count) ops, \(selected.values.reduce(0, +)) choices / \(images) images "
            + "(peer \(peer.selected.values.reduce(0, +))), applied \(applications) (peer \(peerApplications)), "
            + "largest per-op rate difference \(String(format: "%.4f", worstRate))"
        return (summary, failures)
    }
}
