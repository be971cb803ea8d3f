#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ImageCodec
import Testing
import TestSupport

/// `sgid run --samples-per-rank` and `--save-state` / `--resume` on real files, with the built `sgid`: ranks of uneven
/// shards get equal epochs, and a run killed with `kill -9` between two saves resumes with exactly the batches the
/// uninterrupted run delivers after the saved state, bit for bit, whatever the thread counts.
@Suite("sgid run: equal ranks and resume")
struct RunResumeCommandTests {
    let sgid = BuiltProducts.path("sgid")

    /// An ImageFolder of 3 classes × `perClass` JPEGs of varied sizes.
    static func imageFolder(_ directory: TemporaryDirectory, perClass: Int) throws -> String {
        let root = directory.path("images")
        for (classIndex, name) in ["ant", "bee", "cat"].enumerated() {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            for index in 0..<perClass {
                let width = 120 + index % 7, height = 90 + index % 5
                var image = Image(width: width, height: height, channels: 3)
                for y in 0..<height { for x in 0..<width { image[x, y, classIndex] = UInt8((x * 5 + y * 3 + index * 11) % 256) } }
                try Data(JPEGEncoder.encode(image, quality: 90)).write(to: URL(fileURLWithPath: "\(root)/\(name)/img\(index).jpg"))
            }
        }
        return root
    }

    /// Shards of `maxCount` samples (the last shorter) made from the folder; returns the brace pattern.
    func shards(of images: String, in directory: TemporaryDirectory, maxCount: Int) throws -> String {
        let create = try ProgramRun.run(sgid, ["shards", "create", images, "--out", directory.path("shards/s-%04d.tar"),
                                               "--max-count", "\(maxCount)"])
        #expect(create.status == 0, "\(create.errors)")
        let count = try FileManager.default.contentsOfDirectory(atPath: directory.path("shards")).filter { $0.hasSuffix(".tar") }.count
        return directory.path("shards/s-{0000..\(String(format: "%04d", count - 1))}.tar")
    }

    /// The images of each epoch summary line (`epoch E: B batches, N images, …`).
    static func images(_ output: String) -> [Int] {
        output.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: #"\d+ images"#, options: .regularExpression) else { return nil }
            return Int(line[range].split(separator: " ")[0])
        }
    }

    @Test func ranksOfUnevenShardsGetEqualEpochsByDefault() throws {
        let directory = try TemporaryDirectory()
        let pattern = try shards(of: try Self.imageFolder(directory, perClass: 5), in: directory, maxCount: 4)  // 4/4/4/3
        for world in 2...4 {
            var equal: [Int] = [], uneven: [Int] = []
            for rank in 0..<world {
                let common = ["run", pattern, "--pipeline", "center_crop(size=32)", "--batch-size", "2", "--seed", "5",
                              "--rank", "\(rank)", "--world-size", "\(world)"]
                let auto = try ProgramRun.run(sgid, common)
                #expect(auto.status == 0, "\(auto.errors)")
                equal += Self.images(auto.output)
                let shards = try ProgramRun.run(sgid, common + ["--samples-per-rank", "shards"])
                uneven += Self.images(shards.output)
            }
            #expect(equal == Array(repeating: (15 + world - 1) / world, count: world), "world \(world)")
            #expect(uneven.reduce(0, +) == 15 && Set(uneven).count > 1, "world \(world): \(uneven)")
        }
        let bad = try ProgramRun.run(sgid, ["run", pattern, "--batch-size", "2", "--samples-per-rank", "0"])
        #expect(bad.status == 2 && bad.errors.contains("--samples-per-rank"))
    }

    /// `epoch E batch I: digest H` lines.
    static func batchLines(_ output: String) -> [(epoch: Int, batch: Int, line: String)] {
        output.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard words.count == 6, words[0] == "epoch", words[2] == "batch", let epoch = Int(words[1]),
                  let batch = Int(words[3].dropLast()) else { return nil }
            return (epoch, batch, String(line))
        }
    }

    struct SavedState: Decodable {
        let epoch: Int
        let batchesDelivered: Int
    }

    /// Kills a `--save-state --every 2` run once the state reaches `epoch`/`batches`, then resumes from the file.
    func killAndResume(source: String, extra: [String]) throws {
        let directory = try TemporaryDirectory()
        let state = directory.path("state.json")
        let common = ["run", source, "--pipeline", "random_resized_crop(size=48) | hflip | color_jitter(brightness=0.4)",
                      "--batch-size", "3", "--epochs", "4", "--batch-digests"] + extra
        let seed = ["--seed", "11"]
        let reference = try ProgramRun.run(sgid, common + seed + ["--threads", "1"])
        #expect(reference.status == 0, "\(reference.errors)")
        let all = Self.batchLines(reference.output)
        #expect(all.count > 20)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: sgid)
        process.arguments = common + seed + ["--threads", "3", "--prefetch", "1", "--save-state", state, "--every", "2"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill as soon as the run is past its first epoch's start: wherever it is between two saves.
        var killed = false
        while process.isRunning {
            if let data = FileManager.default.contents(atPath: state),
               let saved = try? JSONDecoder().decode(SavedState.self, from: data), saved.epoch >= 1 || saved.batchesDelivered >= 4 {
                usleep(1_500)  // land between two saves, not right after one
                kill(process.processIdentifier, SIGKILL)
                killed = true
                break
            }
            usleep(500)
        }
        process.waitUntilExit()
        #expect(killed && process.terminationReason == .uncaughtSignal, "the run ended before it could be killed")
        let saved = try JSONDecoder().decode(SavedState.self, from: try Data(contentsOf: URL(fileURLWithPath: state)))

        let resumed = try ProgramRun.run(sgid, common + seed + ["--threads", "2", "--resume", state])
        #expect(resumed.status == 0, "\(resumed.errors)")
        let expected = all.filter { $0.epoch > saved.epoch || ($0.epoch == saved.epoch && $0.batch >= saved.batchesDelivered) }
        #expect(Self.batchLines(resumed.output).map(\.line) == expected.map(\.line), "resumed at \(saved)")
        #expect(expected.count < all.count || saved.batchesDelivered == 0)
        print("sgid run killed at epoch \(saved.epoch) batch \(saved.batchesDelivered): \(expected.count) of \(all.count) batches resumed identically")

        // A state from other settings is refused, naming both.
        let other = try ProgramRun.run(sgid, common + ["--seed", "12", "--resume", state])
        #expect(other.status == 1 && other.errors.contains("does not match"), "\(other.errors)")
    }

    @Test func aKilledImageFolderRunResumesWithExactlyTheRemainingBatches() throws {
        let directory = try TemporaryDirectory()
        try killAndResume(source: try Self.imageFolder(directory, perClass: 12), extra: [])
    }

    @Test func aKilledWebDatasetRunResumesWithExactlyTheRemainingBatches() throws {
        let directory = try TemporaryDirectory()
        let pattern = try shards(of: try Self.imageFolder(directory, perClass: 12), in: directory, maxCount: 5)
        // Shard shuffle + a small shuffle buffer, on rank 1 of 2 (equal split across shards).
        try killAndResume(source: pattern, extra: ["--shuffle-buffer", "7", "--rank", "1", "--world-size", "2"])
    }

    @Test func resumeAndSaveStateErrorsAreClear() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory, perClass: 2)
        let missing = try ProgramRun.run(sgid, ["run", images, "--batch-size", "2", "--resume", directory.path("none.json")])
        #expect(missing.status == 1 && missing.errors.contains("none.json"), "\(missing.errors)")
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory.path("bad.json")))
        let bad = try ProgramRun.run(sgid, ["run", images, "--batch-size", "2", "--resume", directory.path("bad.json")])
        #expect(bad.status == 1 && bad.errors.contains("not a loader state"), "\(bad.errors)")
        let everyAlone = try ProgramRun.run(sgid, ["run", images, "--batch-size", "2", "--every", "3"])
        #expect(everyAlone.status == 2)
        // A symbolic link in the state file's place is refused, not followed.
        try FileManager.default.createSymbolicLink(atPath: directory.path("link.json"), withDestinationPath: directory.path("target"))
        let link = try ProgramRun.run(sgid, ["run", images, "--pipeline", "center_crop(size=32)", "--batch-size", "2",
                                                  "--save-state", directory.path("link.json")])
        #expect(link.status == 1 && link.errors.contains("symbolic link"), "\(link.errors)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("target")))
    }
}
