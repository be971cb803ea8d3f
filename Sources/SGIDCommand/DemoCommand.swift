import ArgumentParsing
import Foundation
import ImageCodec

/// `sgid demo [--out DIR]`: the main job on embedded data. For now (the foundation stage) it generates a few
/// photographs procedurally, encodes them as JPEG and PNG, decodes them in the exact mode, the fast DCT-scaled mode
/// and the region-of-interest mode, prints the timings, and writes the decoded images and a preview grid.
enum DemoCommand: SubCommand {
    static let spec = CommandSpec(
        name: "demo", synopsis: "demo [--out DIR]",
        options: [.value("out", help: "where to write the outputs (default out/demo)")], positionals: 0...0)
    static let summary = "run the demo on generated data and write a preview grid"

    static func run(_ arguments: ParsedArguments) throws {
        let out = URL(fileURLWithPath: arguments.value("out") ?? "out/demo")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let sizes = [(640, 480), (500, 375), (375, 500), (480, 480)]
        let modes: [(name: String, options: (Int, Int) -> DecodeOptions)] = [
            ("exact", { _, _ in DecodeOptions() }),
            ("fast ≥224", { _, _ in DecodeOptions(minimumSize: PixelSize(width: 224, height: 224)) }),
            ("fast ≥64", { _, _ in DecodeOptions(minimumSize: PixelSize(width: 64, height: 64)) }),
            ("centre region", { width, height in
                DecodeOptions(region: PixelRegion(x: width / 4, y: height / 4, width: width / 2, height: height / 2))
            }),
        ]
        var sheet = ContactSheet(columns: modes.count + 1, rows: sizes.count, cellWidth: 200, cellHeight: 200)
        print("sgid demo: decoding \(sizes.count) generated JPEGs (quality 90, 4:2:0) in \(modes.count) modes")
        print("image        mode            output     scale  ms/decode")
        for (row, (width, height)) in sizes.enumerated() {
            let original = DemoImages.make(width: width, height: height, seed: UInt64(row + 1))
            let jpeg = try JPEGEncoder.encode(original, quality: 90)
            let name = String(format: "photo-%d", row)
            try Data(jpeg).write(to: out.appendingPathComponent("\(name).jpg"))
            try Data(PNGEncoder.encode(original)).write(to: out.appendingPathComponent("\(name).png"))
            sheet.place(original, column: 0, row: row)
            for (column, mode) in modes.enumerated() {
                let options = mode.options(width, height)
                var best = Duration.seconds(1_000)
                var decoded: DecodedImage?
                for _ in 0..<5 {
                    let start = ContinuousClock.now
                    decoded = try jpeg.withUnsafeBytes { try ImageDecoder.decodeWithGeometry($0, options: options) }
                    best = min(best, ContinuousClock.now - start)
                }
                guard let decoded else { continue }
                let milliseconds = Double(best.components.attoseconds) / 1e15 + Double(best.components.seconds) * 1e3
                let line = "\(name) \(width)x\(height)".padded(13) + mode.name.padded(16)
                    + "\(decoded.image.width)x\(decoded.image.height)".padded(11) + "1/\(decoded.scaleDenominator)".padded(7)
                    + String(format: "%.2f", milliseconds)
                print(line)
                sheet.place(decoded.image, column: column + 1, row: row)
                let file = "\(name)-\(mode.name.filter { $0.isLetter || $0.isNumber }).png"
                try Data(PNGEncoder.encode(decoded.image)).write(to: out.appendingPathComponent(file))
            }
        }
        let grid = out.appendingPathComponent("grid.png")
        try Data(PNGEncoder.encode(sheet.canvas)).write(to: grid)
        print("columns: original | " + modes.map(\.name).joined(separator: " | "))
        print("wrote the decoded images and the preview grid \(grid.path)")
    }
}

extension String {
    /// The string followed by spaces up to `width` characters (at least one space).
    /// - Parameter width: The column width.
    /// - Returns: The padded string.
    func padded(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
