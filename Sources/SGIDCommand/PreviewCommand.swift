import ArgumentParsing
import Augment
import Foundation
import ImageCodec
import Loader

/// `sgid preview SOURCE --pipeline SPEC --out grid.png [--samples N] [--per-class K] [--variants M] [--seed S] [--cell PX]`:
/// a contact sheet with rows across classes — K samples of each class in class order (drawn by the seed, see
/// `PreviewSelection`), at most N rows. Each row: the original (framed, its key under it) labelled with its class,
/// then M augmented versions. Variant `k` uses the generator of (seed, epoch k, the sample's canonical position),
/// i.e. what epoch `k` of an unshuffled run would draw. Stdout: one JSON line with the layout and the chosen samples.
enum PreviewCommand: SubCommand {
    static let spec = CommandSpec(
        name: "preview",
        synopsis: "preview SOURCE --pipeline SPEC --out grid.png [--samples N] [--per-class K] [--variants M] [--seed S] [--cell PX]",
        options: [
            PipelineArgument.options[0],
            .value("out", help: "the PNG file to write"),
            .value("samples", help: "rows at most (default 8)"),
            .value("per-class", help: "rows per class, drawn by the seed (default 1)"),
            .value("variants", help: "augmented versions per sample (default 4)"),
            .value("seed", help: "seed of the row draw and the augmentations (default 0)"),
            .value("cell", help: "cell size in pixels (default 128)"),
        ],
        positionals: 1...1)
    static let summary = "write a contact sheet: samples across classes, each original then augmented versions"

    static func run(_ arguments: ParsedArguments) throws {
        let pipeline = try PipelineArgument.parse(arguments, allowOp: false)
        guard let output = arguments.value("out") else { throw UsageError("--out grid.png is required") }
        let samples = try arguments.integer("samples", in: 1...1000) ?? 8
        let perClass = try arguments.integer("per-class", in: 1...1000) ?? 1
        let variants = try arguments.integer("variants", in: 0...100) ?? 4
        let seed = UInt64(try arguments.integer("seed", in: 0...Int.max) ?? 0)
        let cell = try arguments.integer("cell", in: 16...1024) ?? 128
        let source = try Dataset.open(arguments.positionals[0])

        let chosen = PreviewSamples.choose(from: source, seed: seed, perClass: perClass, limit: samples)
        var rows: [(sample: Sample, position: Int, tiles: [Image])] = []
        for (position, original) in chosen {
            do {
                var sample = original
                let index = sample.source.index >= 0 ? sample.source.index : position
                var tiles = [try sample.pixels()]
                for variant in 0..<variants {
                    var copy = sample
                    var rng = SampleRNG(seed: seed, epoch: variant, position: index)
                    try pipeline.augment(&copy, using: &rng)
                    tiles.append(try copy.pixels())
                }
                rows.append((sample, position, tiles))
            } catch {
                printError("sgid preview: skipping \(original.key): \(error)")
            }
        }
        guard !rows.isEmpty else { throw CommandFailure("no sample of \(arguments.positionals[0]) could be previewed") }

        let classes = rows.map { PreviewSamples.className(of: $0.sample, in: source) }
        var grid = LabelledGrid(columnHeaders: ["original"] + (0..<variants).map { "epoch \($0)" },
                                rowLabels: classes.map { BitmapFont.fitting($0, width: 2 * cell, scale: cell >= 96 ? 2 : 1) },
                                cell: cell,
                                legend: "Each row: a sample of a class (seed \(seed)): the original (framed, its key under it), then what "
                                    + "epochs 0.. of an unshuffled run would train on: " + (arguments.value("pipeline") ?? ""),
                                markedColumn: 0)
        for (row, entry) in rows.enumerated() {
            for (column, tile) in entry.tiles.enumerated() {
                let caption = column == 0 ? BitmapFont.fittingTail(entry.sample.key, width: cell, scale: grid.scale) : nil
                grid.place(tile, column: column, row: row, caption: caption)
            }
        }
        let canvas = grid.image
        do {
            try OutputFile.replace(try PNGEncoder.encode(canvas), at: output)
        } catch {
            throw CommandFailure("cannot write \(output): \(error)")
        }
        let geometry = grid.geometry
        let listed = zip(rows, classes).map { row, name in
            "{\"key\":\(jsonString(row.sample.key)),\"label\":\(row.sample.label.map(String.init) ?? "null"),"
                + "\"class\":\(jsonString(name)),\"position\":\(row.position)}"
        }
        print("{\"output\":\(jsonString(output)),\"rows\":\(rows.count),\"columns\":\(variants + 1),"
              + "\"width\":\(canvas.width),\"height\":\(canvas.height),\"cell\":\(cell),"
              + "\"origin\":[\(geometry.origin.x),\(geometry.origin.y)],\"pitch\":[\(geometry.pitch.x),\(geometry.pitch.y)],"
              + "\"mark\":\(grid.markWidth),\"samples\":[" + listed.joined(separator: ",") + "]}")
    }
}
