import Foundation
@testable import Loader
import Tar
import Testing
import TestSupport

/// The whole class of single faults, on random shards: one flipped byte anywhere, or the stream cut anywhere.
/// Read resynchronising (skip/warn), every sample whose members are undamaged comes out whole, nothing hangs, and the
/// samples delivered plus the errors account for every sample present; read without (fail), the reading is the
/// resynchronising one up to its first error. `SGID_FUZZ_ITERATIONS` sets the number of cases (default 300;
/// `scripts/fuzz.sh` runs many more).
@Suite struct WebDatasetDamageFuzzTests {
    static var iterations: Int { FuzzBudget.iterations(default: 300) }

    /// One member as written: its name, bytes, and where its header starts and its data ends.
    struct Part {
        let name: String
        let data: [UInt8]
        let header: Int
        let dataEnd: Int
    }

    /// A random shard: samples of a jpg part and maybe cls and json parts, keys of eight characters any two of which
    /// differ in at least two places (so one flipped byte cannot turn a key into another).
    static func shard(_ random: inout SplitMix64) throws -> (bytes: [UInt8], samples: [(key: String, parts: [Part])]) {
        var keys: [String] = []
        while keys.count < 1 + random.below(12) {
            let key = "k" + String((0..<7).map { _ in Array("0123456789abcdef")[random.below(16)] })
            if keys.allSatisfy({ zip($0, key).filter { $0 != $1 }.count >= 2 }) { keys.append(key) }
        }
        let writer = TarWriter()
        var samples: [(key: String, parts: [Part])] = []
        for key in keys {
            var parts: [Part] = []
            var contents: [(String, [UInt8])] = [("jpg", (0..<random.below(1300)).map { _ in UInt8(truncatingIfNeeded: random.next()) })]
            if random.below(5) > 0 { contents.append(("cls", Array(String(random.below(1000)).utf8))) }
            if random.below(3) == 0 { contents.append(("json", Array(#"{"n": \#(random.below(99))}"#.utf8))) }
            for (ext, data) in contents {
                let header = Int(writer.offset)
                try writer.addFile("\(key).\(ext)", contents: data)
                parts.append(Part(name: "\(key).\(ext)", data: data, header: header, dataEnd: header + 512 + data.count))
            }
            samples.append((key, parts))
        }
        try writer.finish()
        return (writer.sink.bytes, samples)
    }

    /// What a reader delivered.
    struct Reading {
        var samples: [WebDatasetRawSample] = []
        var errors: [LoaderError] = []
        /// Samples delivered before the first error.
        var beforeFirstError: [WebDatasetRawSample] = []
    }

    /// Reads raw samples as the loader's sequential reading does: on after `.invalidSample` and resynchronised
    /// damage, to the end of the shard after anything else.
    static func read(_ bytes: [UInt8], resynchronizing: Bool) throws -> Reading {
        var options = WebDatasetOptions(secureMode: false)
        options.tarOptions.resynchronizes = resynchronizing
        var reading = Reading()
        let tar: TarReader
        do {
            tar = try TarReader(bytes: bytes, archiveName: "fuzz.tar", options: WebDatasetShardReader.tarOptions(options))
        } catch {
            reading.errors.append(WebDatasetShardReader.loaderError(error, url: "fuzz.tar", key: nil))
            return reading
        }
        var reader = WebDatasetShardReader(url: "fuzz.tar", tar: tar, options: options)
        for _ in 0..<(bytes.count / 512 + 16) {
            do {
                guard let sample = try reader.nextRaw() else { return reading }
                reading.samples.append(sample)
                if reading.errors.isEmpty { reading.beforeFirstError.append(sample) }
            } catch {
                reading.errors.append(error)
                guard error.kind == .invalidSample || error.resumeOffset != nil else {
                    #expect(try reader.nextRaw() == nil, "the reader must end after \(error)")
                    return reading
                }
            }
        }
        Issue.record("the reader did not end within \(bytes.count / 512 + 16) calls")
        return reading
    }

    @Test func singleFlipsAndCutsCostOnlyTheSamplesTheyTouch() throws {
        var random = SplitMix64(seed: 0xda3a6e)
        var outcomes: [String: Int] = [:]
        for iteration in 0..<Self.iterations {
            let (original, samples) = try Self.shard(&random)
            var bytes = original
            let damaged: (Part) -> Bool
            let present: [(key: String, parts: [Part])]
            let label: String
            if random.below(3) > 0 {
                let position = random.below(bytes.count)
                bytes[position] ^= UInt8(1 + random.below(255))
                damaged = { (($0.header)..<($0.dataEnd)).contains(position) }
                present = samples
                label = "case \(iteration): byte \(position) flipped"
            } else {
                let cut = random.below(bytes.count + 1)
                bytes.removeSubrange(cut...)
                damaged = { $0.dataEnd > cut }
                present = samples.filter { $0.parts[0].header < cut }
                label = "case \(iteration): cut at \(cut)"
            }
            let reading = try Self.read(bytes, resynchronizing: true)
            let keys = Set(samples.map(\.key))

            // Every sample untouched by the fault comes out once, whole.
            for sample in samples where !sample.parts.contains(where: damaged) {
                let delivered = reading.samples.filter { $0.key == sample.key }
                #expect(delivered.count == 1, "\(label): \(sample.key) delivered \(delivered.count) times")
                #expect(delivered.first?.parts.map(\.member) == sample.parts.map(\.name), "\(label): \(sample.key)")
                #expect(delivered.first?.parts.map(\.data) == sample.parts.map(\.data), "\(label): \(sample.key)")
            }
            // Delivered plus errors account for every sample present: at least one report each, and a fault adds
            // at most two (a lost name splits its sample in two parts, or damage costs no sample at all).
            let reports = reading.samples.count + reading.errors.count
            #expect(reports >= present.count && reports <= present.count + 2, "\(label): \(reports) reports of \(present.count)")
            let named = Set(reading.samples.map(\.key)).union(reading.errors.compactMap(\.key))
            let unnamed = reading.errors.filter { $0.key.map { !keys.contains($0) } ?? true }.count
            #expect(present.filter { !named.contains($0.key) }.count <= unnamed, "\(label): a sample is unaccounted for")
            for error in reading.errors {
                #expect([.corruptArchive, .invalidSample].contains(error.kind), "\(label): \(error)")
                if let resume = error.resumeOffset, let offset = error.offset {
                    #expect(resume > offset && error.skippedBytes == resume - offset, "\(label): \(error)")
                }
            }
            // Without resynchronising (fail), the reading is the same up to the first error, which ends it.
            let failing = try Self.read(bytes, resynchronizing: false)
            #expect(failing.samples == reading.beforeFirstError, "\(label)")
            #expect(failing.errors.count == min(1, reading.errors.count), "\(label): \(failing.errors)")

            let outcome = reading.errors.contains { $0.resumeOffset != nil } ? "resynchronised"
                : reading.errors.isEmpty ? "clean" : "ended"
            outcomes[outcome, default: 0] += 1
        }
        #expect(outcomes.values.reduce(0, +) == Self.iterations)
        #expect(outcomes["resynchronised", default: 0] > Self.iterations / 20, "\(outcomes)")
    }
}
