import Foundation
import Testing
import TestSupport

/// The README cannot rot: every ```sh block of README.md runs, as written, in a sandbox that holds what a new user has
/// after `bash scripts/demo.sh` (the demo's outputs under out/demo, made here small and fast, and the checkout's
/// Models/), with the built `sgid` first on PATH and no Python on it. A block whose first line is
/// `# not run by the README check: REASON` is skipped (the two commands of the quick start, which this test cannot run
/// from inside the test run, and GPU-only commands); the test also checks that every other block ran.
@Suite("README shell blocks", .serialized)
struct ReadmeTests {
    static let readme = PeerPython.repositoryRoot.appendingPathComponent("README.md").path
    static let skipMarker = "# not run by the README check:"

    /// The README's ```sh blocks with the line each starts on.
    static func blocks() throws -> [(line: Int, text: String)] {
        let lines = try String(contentsOfFile: readme, encoding: .utf8).components(separatedBy: "\n")
        var blocks: [(Int, String)] = [], current: [String]?, start = 0
        for (number, line) in lines.enumerated() {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```sh" {
                current = []
                start = number + 2
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append((start, current!.joined(separator: "\n")))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test func everyShellBlockRunsAgainstTheDemoOutputs() throws {
        let sandbox = try TemporaryDirectory(prefix: "sgid-readme")
        for name in ["Models", "Examples"] {
            try FileManager.default.createSymbolicLink(atPath: sandbox.path(name),
                                                       withDestinationPath: PeerPython.repositoryRoot.appendingPathComponent(name).path)
        }
        try FileManager.default.createDirectory(atPath: sandbox.path("home"), withIntermediateDirectories: true)
        let path = BuiltProducts.directory.path + ":/usr/bin:/bin"
        func shell(_ script: String) throws -> ProgramRun {
            try ProgramRun.run("/usr/bin/env", ["-i", "PATH=\(path)", "HOME=\(sandbox.path("home"))", "SGID_WORKER_PYTHON=/nonexistent/python",
                                                "/bin/bash", "-c", "set -euo pipefail; cd '\(sandbox.url.path)'; " + script])
        }
        // What a user has after the demo, small: 3 images per class, 2 variants, 2 epochs, 1,000 test images.
        let demo = try shell("sgid demo --out out/demo --per-class 3 --variants 2 --epochs 2 --test-images 1000")
        #expect(demo.status == 0, "\(demo.output)\n\(demo.errors)")
        #expect(demo.output.contains("SGID + RandAugment"))
        // A second run reuses the cache.
        let again = try shell("sgid demo --out out/demo --per-class 3 --variants 2 --epochs 2 --test-images 1000")
        #expect(again.output.contains("0 generated, 30 skipped (already cached)"), "\(again.output)")

        var ran = 0, skipped = 0
        for (line, text) in try Self.blocks() {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix(Self.skipMarker) {
                skipped += 1
                continue
            }
            let run = try shell(text)
            #expect(run.status == 0, "README.md line \(line):\n\(text)\n--- exit \(run.status)\n\(run.output.suffix(2000))\n\(run.errors.suffix(2000))")
            ran += 1
        }
        print("README check: \(ran) shell blocks ran, \(skipped) skipped by their marker")
        #expect(ran >= 5 && skipped <= 4, "\(ran) blocks ran, \(skipped) skipped")
    }
}
