import ArgumentParsing
import Augment
import Foundation
import ImageCodec

/// `sgid augment IN OUT (--pipeline SPEC | --op 'name(k=v, …)') [--seed N] [--position P] [--replay RECORD]`:
/// decodes an image, runs it through a pipeline with the generator of (seed, epoch 0, position), writes the result as
/// PNG and prints one JSON line with the output's geometry and the replay record of everything the pipeline drew.
/// `--replay` applies a record printed earlier (JSON text or a file) instead of drawing.
enum AugmentCommand: SubCommand {
    static let spec = CommandSpec(
        name: "augment",
        synopsis: "augment IN OUT (--pipeline SPEC | --op 'name(k=v, …)') [--seed N] [--position P] [--replay RECORD]",
        options: PipelineArgument.options + [
            .value("seed", help: "seed of the sample's generator (default 0)"),
            .value("position", help: "the sample's position in the epoch (default 0)"),
            .value("replay", help: "apply this record (JSON printed by an earlier run, or a file) instead of drawing"),
        ],
        positionals: 2...2)
    static let summary = "augment one image through a pipeline; print the drawn parameters as JSON"

    static func run(_ arguments: ParsedArguments) throws {
        let input = arguments.positionals[0], output = arguments.positionals[1]
        let pipeline = try PipelineArgument.parse(arguments)
        let seed = try arguments.integer("seed", in: 0...Int.max) ?? 0
        let position = try arguments.integer("position", in: 0...Int.max) ?? 0
        let replay = try arguments.value("replay").map { text throws(UsageError) -> ReplayRecord in try readRecord(text) }

        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: input)))
        } catch {
            throw CommandFailure("cannot read \(input): \(error.localizedDescription)")
        }
        var sample = Sample(key: URL(fileURLWithPath: input).lastPathComponent, source: SampleSource(url: input, path: ""),
                            image: .encoded(bytes))
        let record: ReplayRecord
        let image: Image
        do throws(AugmentError) {
            if let replay {
                try Replay.replay(pipeline, replay, on: &sample)
                record = replay
            } else {
                var rng = SampleRNG(seed: UInt64(seed), epoch: 0, position: position)
                record = try Replay.record(pipeline, &sample, using: &rng)
            }
            image = try sample.pixels()
        } catch {
            throw CommandFailure(error.description)
        }
        do {
            try OutputFile.replace(try PNGEncoder.encode(image), at: output)
        } catch {
            throw CommandFailure("cannot write \(output): \(error)")
        }
        print("{\"input\":\(jsonString(input)),\"output\":\(jsonString(output)),\"width\":\(image.width),"
              + "\"height\":\(image.height),\"channels\":\(image.channels),\"seed\":\(seed),\"position\":\(position),"
              + "\"replay\":\(record)}")
    }

    /// Reads a replay record from JSON text or a file holding it (either the record itself or a line printed by
    /// `sgid augment`, whose `replay` field is used).
    /// - Parameter text: The option's value.
    /// - Returns: The record.
    /// - Throws: `UsageError` when it is not a record.
    static func readRecord(_ text: String) throws(UsageError) -> ReplayRecord {
        let data = FileManager.default.contents(atPath: text) ?? Data(text.utf8)
        struct Printed: Decodable { let replay: ReplayRecord }
        if let printed = try? JSONDecoder().decode(Printed.self, from: data) { return printed.replay }
        do {
            return try JSONDecoder().decode(ReplayRecord.self, from: data)
        } catch {
            throw UsageError("--replay expects a replay record (JSON or a file), e.g. {\"op\":\"hflip\",\"parameters\":{\"flipped\":true}}")
        }
    }
}
