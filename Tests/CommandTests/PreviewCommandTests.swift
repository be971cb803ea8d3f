import Foundation
import ImageCodec
import Testing
import TestSupport

/// `sgid preview` picks its rows across classes: one per class in class order by default (`--per-class K` more),
/// each drawn by the seed; the original column is framed, every row names its class and key, and stdout lists the
/// chosen samples.
@Suite("sgid preview: rows across classes")
struct PreviewCommandTests {
    let sgid = BuiltProducts.path("sgid")

    struct Chosen: Decodable, Equatable { let key: String; let label: Int?; let `class`: String; let position: Int }
    struct Layout: Decodable { let rows, columns, width, height, cell, mark: Int; let origin, pitch: [Int]; let samples: [Chosen] }

    /// An ImageFolder with 3, 2 and 1 PNGs in classes ant, bee and cat.
    static func folder(_ directory: TemporaryDirectory) throws -> String {
        let root = directory.path("data")
        for (name, count) in [("ant", 3), ("bee", 2), ("cat", 1)] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(name)", withIntermediateDirectories: true)
            for index in 0..<count {
                let image = AugmentCommandTests.image(width: 50 + 10 * index, height: 40, seed: index + count)
                try AugmentCommandTests.write(image, to: "\(root)/\(name)/\(name)-\(index).png")
            }
        }
        return root
    }

    func preview(_ source: String, _ output: String, _ extra: [String]) throws -> Layout {
        let run = try ProgramRun.run(sgid, ["preview", source, "--pipeline", "random_resized_crop(size=32) | hflip",
                                            "--out", output, "--variants", "2", "--cell", "64"] + extra)
        #expect(run.status == 0, "\(run.errors)")
        return try JSONDecoder().decode(Layout.self, from: Data(run.output.utf8))
    }

    @Test func oneRowPerClassDrawnBySeedWithTheOriginalFramedAndKeysShown() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.folder(directory)
        let layout = try preview(data, directory.path("grid.png"), ["--seed", "0"])
        #expect(layout.rows == 3 && layout.columns == 3 && layout.samples.count == 3)
        #expect(layout.samples.map(\.label) == [0, 1, 2] && layout.samples.map(\.class) == ["ant", "bee", "cat"])
        for chosen in layout.samples { #expect(chosen.key.hasPrefix(chosen.class + "/" + chosen.class + "-"), "\(chosen)") }
        #expect(layout.samples[2].key == "cat/cat-0.png")

        // The grid's size follows from its layout: label column, 3 cells per row, a key caption under each row.
        let grid = try AugmentCommandTests.read(directory.path("grid.png"))
        #expect(grid.width == layout.width && grid.height == layout.height)
        #expect(layout.width == layout.origin[0] + layout.columns * layout.pitch[0])
        #expect(layout.pitch[0] == 64 + 4 && layout.pitch[1] == 64 + 10 + 4)  // cell + caption line + gap
        #expect(layout.height > layout.origin[1] + layout.rows * layout.pitch[1])  // the legend below
        func count(_ x: Range<Int>, _ y: Range<Int>, _ colour: [UInt8]) -> Int {
            var found = 0
            for py in y { for px in x where (0..<3).allSatisfy({ grid[px, py, $0] == colour[$0] }) { found += 1 } }
            return found
        }
        let frame: [UInt8] = [110, 230, 110], caption: [UInt8] = [170, 220, 255]
        for row in 0..<3 {
            let top = layout.origin[1] + row * layout.pitch[1], left = layout.origin[0]
            // The original's cell is framed (its whole border), the augmented ones are not.
            let inner = 64 - 2 * layout.mark
            #expect(count(left..<(left + 64), top..<(top + 64), frame) == 64 * 64 - inner * inner, "row \(row) is not framed")
            #expect(count((left + layout.pitch[0])..<(left + layout.pitch[0] + 64), top..<(top + 64), frame) == 0)
            // Its key is written under it; a class name before the row.
            #expect(count(left..<(left + 64), (top + 64)..<(top + layout.pitch[1]), caption) > 10, "row \(row) shows no key")
            #expect(count(0..<left, top..<(top + 64), [255, 255, 255]) > 10, "row \(row) shows no class")
        }

        // The same seed gives the same rows and sheet; other seeds draw other samples of the classes that have several.
        let again = try preview(data, directory.path("again.png"), ["--seed", "0"])
        #expect(again.samples == layout.samples)
        #expect(try AugmentCommandTests.read(directory.path("again.png")) == grid)
        var ants: Set<String> = [], bees: Set<String> = []
        for seed in 1...8 {
            let other = try preview(data, directory.path("s\(seed).png"), ["--seed", "\(seed)"])
            #expect(other.samples.map(\.label) == [0, 1, 2] && other.samples[2].key == "cat/cat-0.png")
            ants.insert(other.samples[0].key)
            bees.insert(other.samples[1].key)
        }
        #expect(ants.count > 1 && bees.count > 1, "ants \(ants), bees \(bees)")
    }

    @Test func samplesCapsTheRowsAndPerClassAddsRows() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.folder(directory)
        let two = try preview(data, directory.path("two.png"), ["--samples", "2"])
        #expect(two.samples.map(\.class) == ["ant", "bee"])
        let more = try preview(data, directory.path("more.png"), ["--per-class", "2", "--seed", "4"])
        #expect(more.samples.map(\.class) == ["ant", "ant", "bee", "bee", "cat"])
        #expect(Set(more.samples.map(\.key)).count == 5)
        #expect(Set(more.samples.filter { $0.class == "bee" }.map(\.key)) == ["bee/bee-0.png", "bee/bee-1.png"])
    }

    @Test func shardSourcesGroupByLabel() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.folder(directory)
        let create = try ProgramRun.run(sgid, ["shards", "create", data, "--out", directory.path("shards/s-%04d.tar"), "--max-count", "4"])
        #expect(create.status == 0, "\(create.errors)")
        let pattern = directory.path("shards/s-{0000..0001}.tar")
        let first = try preview(pattern, directory.path("a.png"), ["--seed", "3"])
        #expect(first.samples.map(\.label) == [0, 1, 2])
        #expect(try preview(pattern, directory.path("b.png"), ["--seed", "3"]).samples == first.samples)
        var ants: Set<String> = []
        for seed in 4...10 { ants.insert(try preview(pattern, directory.path("c.png"), ["--seed", "\(seed)"]).samples[0].key) }
        #expect(ants.count > 1, "\(ants)")
    }
}
