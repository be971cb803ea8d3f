import Foundation
import ImageCodec
import Testing
import TestSupport

/// `sgid augment` and `sgid preview`, run as a user runs them.
@Suite("sgid augment and preview")
struct AugmentCommandTests {
    let sgid = BuiltProducts.path("sgid")

    /// A synthetic RGB image with values below 200 (so white label pixels stand out).
    static func image(width: Int, height: Int, seed: Int) -> Image {
        var image = Image(width: width, height: height, channels: 3)
        for y in 0..<height {
            for x in 0..<width { for c in 0..<3 { image[x, y, c] = UInt8((x * 7 + y * 3 + seed * 50 + c * 40) % 200) } }
        }
        return image
    }

    static func write(_ image: Image, to path: String) throws {
        try Data(PNGEncoder.encode(image)).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) throws -> Image {
        try ImageDecoder.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func flipped(_ image: Image) -> Image {
        var output = image
        for y in 0..<image.height {
            for x in 0..<image.width { for c in 0..<3 { output[x, y, c] = image[image.width - 1 - x, y, c] } }
        }
        return output
    }

    @Test func augmentAppliesAnOpAndPrintsWhatItDrew() throws {
        let directory = try TemporaryDirectory()
        let input = Self.image(width: 40, height: 30, seed: 1)
        try Self.write(input, to: directory.path("in.png"))
        let run = try ProgramRun.run(sgid, ["augment", directory.path("in.png"), directory.path("out.png"), "--op", "hflip(p=1)"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains(#""replay":{"op":"sequence","children":[{"op":"hflip","parameters":{"flipped":true}}]}"#),
                "\(run.output)")
        #expect(run.output.contains(#""width":40,"height":30,"channels":3"#))
        #expect(try Self.read(directory.path("out.png")) == Self.flipped(input))
    }

    @Test func augmentIsDeterministicPerSeedAndReplaysOnOtherImages() throws {
        let directory = try TemporaryDirectory()
        try Self.write(Self.image(width: 64, height: 48, seed: 1), to: directory.path("a.png"))
        try Self.write(Self.image(width: 64, height: 48, seed: 2), to: directory.path("b.png"))
        let spec = "random_resized_crop(size=24) | one_of(hflip(p=1) | vflip(p=1), weights=1:3) | random_apply(center_crop(size=16), p=0.5)"
        func augment(_ name: String, _ extra: [String]) throws -> (String, Image) {
            let run = try ProgramRun.run(sgid, ["augment", directory.path(name), directory.path("o-\(name)"), "--pipeline", spec] + extra)
            #expect(run.status == 0, "\(run.errors)")
            return (run.output, try Self.read(directory.path("o-\(name)")))
        }
        let (first, imageA) = try augment("a.png", ["--seed", "7"])
        let (again, imageAgain) = try augment("a.png", ["--seed", "7"])
        #expect(first == again && imageA == imageAgain)
        #expect(first.contains(#"{"op":"random_resized_crop","parameters":{"input":{"height":48,"width":64},"region":{"#), "\(first)")
        var differs = false
        for seed in 8..<12 where try augment("a.png", ["--seed", "\(seed)"]).0 != first { differs = true }
        #expect(differs)
        // The printed line replays on another image of the same size: same as drawing with the same seed there.
        try Data(first.utf8).write(to: URL(fileURLWithPath: directory.path("record.json")))
        let (_, replayed) = try augment("b.png", ["--replay", directory.path("record.json")])
        let (_, drawn) = try augment("b.png", ["--seed", "7"])
        #expect(replayed == drawn)
    }

    @Test func augmentPrintsColorJitterOrderAndFactors() throws {
        let directory = try TemporaryDirectory()
        try Self.write(Self.image(width: 40, height: 30, seed: 1), to: directory.path("in.png"))
        let run = try ProgramRun.run(sgid, ["augment", directory.path("in.png"), directory.path("out.png"), "--seed", "3",
                                            "--pipeline", "color_jitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)"])
        #expect(run.status == 0, "\(run.errors)")
        let pattern = #/"op":"color_jitter","parameters":\{"brightness":[0-9.e-]+,"contrast":[0-9.e-]+,"hue":-?[0-9.e-]+,"order":\["(brightness|contrast|saturation|hue)"(,"(brightness|contrast|saturation|hue)"){3}\],"saturation":[0-9.e-]+\}/#
        #expect(run.output.contains(pattern), "\(run.output)")
        // Replaying the printed record gives the same pixels.
        try Data(run.output.utf8).write(to: URL(fileURLWithPath: directory.path("record.json")))
        let replay = try ProgramRun.run(sgid, ["augment", directory.path("in.png"), directory.path("replayed.png"),
                                               "--pipeline", "color_jitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)",
                                               "--replay", directory.path("record.json")])
        #expect(replay.status == 0, "\(replay.errors)")
        #expect(try Self.read(directory.path("replayed.png")) == Self.read(directory.path("out.png")))
    }

    @Test func augmentReadsJSONPipelinesFromFiles() throws {
        let directory = try TemporaryDirectory()
        try Self.write(Self.image(width: 20, height: 10, seed: 3), to: directory.path("in.png"))
        let json = #"{"version":1,"pipeline":[{"op":"resize","size":"8x4"},{"op":"some_of","n":1,"children":[{"op":"hflip","p":1}]}]}"#
        try Data(json.utf8).write(to: URL(fileURLWithPath: directory.path("pipeline.json")))
        let run = try ProgramRun.run(sgid, ["augment", directory.path("in.png"), directory.path("out.png"),
                                            "--pipeline", directory.path("pipeline.json")])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains(#""width":8,"height":4"#))
        #expect(run.output.contains(#"{"op":"some_of","parameters":{"chosen":[0]},"children":[{"op":"hflip""#), "\(run.output)")
    }

    @Test(arguments: [
        (["augment", "a", "b"], "give --pipeline SPEC or --op"),
        (["augment", "a", "b", "--op", "hflip", "--pipeline", "vflip"], "not both"),
        (["augment", "a", "b", "--op", "hflip | vflip"], "exactly one operation"),
        (["augment", "a", "b", "--op", "frobnicate(x=1)"], "frobnicate: unknown operation"),
        (["augment", "a", "b", "--pipeline", "hflip | one_of(vflip, weights=1:2)"], "one_of: parameter 'weights'"),
        (["augment", "a", "b", "--pipeline", #"{"version":3,"pipeline":[]}"#], "unsupported version 3"),
        (["augment", "a", "b", "--op", "hflip", "--replay", "nonsense"], "--replay expects a replay record"),
        (["preview", "src", "--out", "g.png"], "--pipeline SPEC is required"),
        (["preview", "src", "--pipeline", "hflip"], "--out grid.png is required"),
        (["preview", "src", "--pipeline", "hflip(q=1)", "--out", "g.png"], "unknown parameter 'q'"),
        // Absurd and non-finite numbers (issue 14): usage errors naming the operation, the parameter or the option.
        (["augment", "a", "b", "--op", "rotate(degrees=1e308)"], "rotate: parameter 'degrees' = '1e308'"),
        (["augment", "a", "b", "--op", "rotate(degrees=nan)"], "rotate: parameter 'degrees' = 'nan'"),
        (["augment", "a", "b", "--pipeline", "resize(size=100000) | hflip"], "resize: parameter 'size' = '100000'"),
        (["augment", "a", "b", "--op", "center_crop(size=99999999999)"], "center_crop: parameter 'size' = '99999999999'"),
        (["train", "src", "--max-lr", "nan"], "--max-lr expects a finite number in 0.0...10.0, got 'nan'"),
        (["train", "src", "--dropout", "1e308"], "--dropout expects a finite number in 0.0...0.99, got '1e308'"),
        (["precompute", "src", "--cache", "c", "--model", "m", "--guidance", "inf"], "--guidance expects a finite number"),
        (["precompute", "src", "--cache", "c", "--model", "m", "--guidance-range", "1:1e308"], "--guidance-range expects 2"),
        (["precompute", "src", "--cache", "c", "--model", "m", "--strength", "0.5,nan"], "--strength expects"),
        (["precompute", "src", "--cache", "c", "--model", "m", "--min-score", "-inf"], "--min-score expects a finite number"),
    ])
    func usageErrorsExitWithStatus2(arguments: [String], message: String) throws {
        let run = try ProgramRun.run(sgid, arguments)
        #expect(run.status == 2)
        #expect(run.errors.contains(message), "stderr was: \(run.errors)")
    }

    @Test func augmentFailuresNameTheFile() throws {
        let directory = try TemporaryDirectory()
        let missing = try ProgramRun.run(sgid, ["augment", directory.path("missing.png"), directory.path("o.png"), "--op", "hflip"])
        #expect(missing.status == 1 && missing.errors.contains("missing.png"))
        try Self.write(Self.image(width: 10, height: 10, seed: 1), to: directory.path("small.png"))
        let record = #"{"op":"sequence","children":[{"op":"center_crop","parameters":{"region":{"x":0,"y":0,"width":0,"height":4}}}]}"#
        let bad = try ProgramRun.run(sgid, ["augment", directory.path("small.png"), directory.path("o.png"),
                                            "--op", "center_crop(size=4)", "--replay", record])
        #expect(bad.status == 1 && bad.errors.contains("center_crop"), "\(bad.errors)")
    }

    @Test func previewWritesALabelledGrid() throws {
        let directory = try TemporaryDirectory()
        for (folder, names) in [("cat", ["a", "b"]), ("dog", ["c"])] {
            try FileManager.default.createDirectory(atPath: directory.path("data/\(folder)"), withIntermediateDirectories: true)
            for (index, name) in names.enumerated() {
                try Self.write(Self.image(width: 60 + 10 * index, height: 50, seed: index), to: directory.path("data/\(folder)/\(name).png"))
            }
        }
        func arguments(_ output: String) -> [String] {
            ["preview", directory.path("data"), "--pipeline", "random_resized_crop(size=40) | hflip",
             "--out", directory.path(output), "--samples", "3", "--per-class", "2", "--variants", "2", "--cell", "64"]
        }
        let run = try ProgramRun.run(sgid, arguments("grid.png"))
        #expect(run.status == 0, "\(run.errors)")
        struct Layout: Decodable { let rows, columns, width, height, cell: Int; let origin, pitch: [Int] }
        let layout = try JSONDecoder().decode(Layout.self, from: Data(run.output.utf8))
        #expect(layout.rows == 3 && layout.columns == 3 && layout.cell == 64)
        let grid = try Self.read(directory.path("grid.png"))
        #expect(grid.width == layout.width && grid.height == layout.height)
        func count(_ x: Range<Int>, _ y: Range<Int>, _ colour: [UInt8]) -> Int {
            var found = 0
            for py in y { for px in x where (0..<3).allSatisfy({ grid[px, py, $0] == colour[$0] }) { found += 1 } }
            return found
        }
        // A header over every column (yellow), a class name before every row (white), a legend under the grid (gray).
        for column in 0..<3 {
            let left = layout.origin[0] + column * layout.pitch[0]
            #expect(count(left..<(left + 64), 0..<layout.origin[1], [255, 220, 120]) > 10, "column \(column) has no header")
        }
        for row in 0..<3 {
            let top = layout.origin[1] + row * layout.pitch[1]
            #expect(count(0..<layout.origin[0], top..<(top + 64), [255, 255, 255]) > 10, "row \(row) has no label")
            // The cells hold the images (values under 200), not the background.
            let left = layout.origin[0] + layout.pitch[0]
            #expect(count(left..<(left + 64), top..<(top + 64), [24, 24, 24]) < 64 * 64 / 2, "row \(row) has no image")
        }
        let legendTop = layout.origin[1] + 3 * layout.pitch[1]
        #expect(count(0..<layout.width, legendTop..<layout.height, [200, 200, 200]) > 50, "no legend")
        // The same command gives the same sheet.
        let second = try ProgramRun.run(sgid, arguments("again.png"))
        #expect(second.status == 0)
        #expect(try Self.read(directory.path("again.png")) == grid)
    }
}
