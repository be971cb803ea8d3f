import ArgumentParsing
import Augment
import Foundation
import ImageCodec
import Loader

/// `sgid preview SOURCE --pipeline SPEC --out grid.png [--samples N] [--variants M] [--seed S] [--cell PX]`: a
/// contact sheet with one row per sample (the first N in canonical order): the original first, labelled with its
/// class name, then M augmented versions. Variant `k` uses the generator of (seed, epoch k, the sample's canonical
/// position), i.e. what epoch `k` of an unshuffled run would draw.
enum PreviewCommand: SubCommand {
    static let spec = CommandSpec(
        name: "preview",
        synopsis: "preview SOURCE --pipeline SPEC --out grid.png [--samples N] [--variants M] [--seed S] [--cell PX]",
        options: [
            PipelineArgument.options[0],
            .value("out", help: "the PNG file to write"),
            .value("samples", help: "rows: the first N samples (default 8)"),
            .value("variants", help: "augmented versions per sample (default 4)"),
            .value("seed", help: "seed of the augmentations (default 0)"),
            .value("cell", help: "cell size in pixels (default 128)"),
        ],
        positionals: 1...1)
    static let summary = "write a contact sheet: each sample's original, then augmented versions, labelled by class"

    static func run(_ arguments: ParsedArguments) throws {
        let pipeline = try PipelineArgument.parse(arguments, allowOp: false)
        guard let output = arguments.value("out") else { throw UsageError("--out grid.png is required") }
        let samples = try arguments.integer("samples", in: 1...1000) ?? 8
        let variants = try arguments.integer("variants", in: 0...100) ?? 4
        let seed = UInt64(try arguments.integer("seed", in: 0...Int.max) ?? 0)
        let cell = try arguments.integer("cell", in: 16...1024) ?? 128
        let source = try Dataset.open(arguments.positionals[0])

        var rows: [(label: String, tiles: [Image])] = []
        var position = 0
        source.forEachSample(resynchronizing: true) { result in
            defer { position += 1 }
            do {
                var sample = try result.get()
                let index = sample.source.index >= 0 ? sample.source.index : position
                var tiles = [try sample.pixels()]
                for variant in 0..<variants {
                    var copy = sample
                    var rng = SampleRNG(seed: seed, epoch: variant, position: index)
                    try pipeline.augment(&copy, using: &rng)
                    tiles.append(try copy.pixels())
                }
                let label = sample.className ?? sample.label.map { "class \($0)" } ?? sample.key
                rows.append((label, tiles))
            } catch {
                printError("sgid preview: skipping a sample: \(error)")
            }
            return rows.count < samples
        }
        guard !rows.isEmpty else { throw CommandFailure("no sample of \(arguments.positionals[0]) could be previewed") }

        var grid = LabelledGrid(columnHeaders: ["original"] + (0..<variants).map { "epoch \($0)" }, rowLabels: rows.map(\.label),
                                cell: cell, legend: "Each row: a sample (its class on the left), then what epochs 0.. of an unshuffled run "
                                    + "with seed \(seed) would train on: " + (arguments.value("pipeline") ?? ""))
        for (row, entry) in rows.enumerated() {
            for (column, tile) in entry.tiles.enumerated() { grid.place(tile, column: column, row: row) }
        }
        let canvas = grid.image
        do {
            try OutputFile.replace(try PNGEncoder.encode(canvas), at: output)
        } catch {
            throw CommandFailure("cannot write \(output): \(error)")
        }
        let geometry = grid.geometry
        print("{\"output\":\(jsonString(output)),\"rows\":\(rows.count),\"columns\":\(variants + 1),"
              + "\"width\":\(canvas.width),\"height\":\(canvas.height),\"cell\":\(cell),"
              + "\"origin\":[\(geometry.origin.x),\(geometry.origin.y)],\"pitch\":[\(geometry.pitch.x),\(geometry.pitch.y)]}")
    }
}
