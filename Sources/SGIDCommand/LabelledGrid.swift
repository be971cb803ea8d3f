import ImageCodec

/// A grid of images with a header over every column, a label before every row, an optional caption under each cell
/// and a legend line at the bottom — the one layout of every grid `sgid` writes (previews, the demo, model cards).
struct LabelledGrid {
    let columnHeaders: [String]
    let rowLabels: [String]
    let cell: Int
    let legend: String?
    /// A column framed in `markColor` (the originals of a preview), or `nil`.
    let markedColumn: Int?
    /// The colour of the marked column's frame.
    static let markColor: [UInt8] = [110, 230, 110]
    private var tiles: [[(image: Image?, caption: String?)?]]

    /// Creates an empty grid.
    /// - Parameters:
    ///   - columnHeaders: One header per column.
    ///   - rowLabels: One label per row (class names).
    ///   - cell: The side of a cell in pixels (images are scaled to fit, nearest neighbour).
    ///   - legend: A line under the grid explaining it.
    ///   - markedColumn: A column whose cells get a frame, or `nil`.
    init(columnHeaders: [String], rowLabels: [String], cell: Int, legend: String? = nil, markedColumn: Int? = nil) {
        self.columnHeaders = columnHeaders
        self.rowLabels = rowLabels
        self.cell = cell
        self.legend = legend
        self.markedColumn = markedColumn
        tiles = Array(repeating: Array(repeating: nil, count: columnHeaders.count), count: rowLabels.count)
    }

    /// Puts an image into a cell.
    /// - Parameters:
    ///   - image: A gray or RGB image.
    ///   - column: The column.
    ///   - row: The row.
    ///   - caption: A short line under the image (a score), or `nil`.
    mutating func place(_ image: Image, column: Int, row: Int, caption: String? = nil) {
        tiles[row][column] = (image, caption)
    }

    /// Marks an empty cell with a word in its middle ("dropped").
    /// - Parameters:
    ///   - text: The word.
    ///   - column: The column.
    ///   - row: The row.
    mutating func note(_ text: String, column: Int, row: Int) {
        tiles[row][column] = (nil, text)
    }

    /// Image pixels per font pixel of the grid's text.
    var scale: Int { cell >= 96 ? 2 : 1 }
    /// The width of the marked column's frame in pixels (drawn inside the cell).
    var markWidth: Int { 2 * scale }
    private var lineHeight: Int { (BitmapFont.glyphHeight + 3) * scale }
    private var hasCaptions: Bool { tiles.contains { $0.contains { $0?.caption != nil } } }

    private let gap = 4
    private var labelWidth: Int { (rowLabels.map { BitmapFont.width(of: $0, scale: scale) }.max() ?? 0) + 4 * scale }
    private var rowHeight: Int { cell + (hasCaptions ? lineHeight : 0) + gap }

    /// The top-left pixel of the first cell, and the distances between cells' origins (for tests and tools).
    var geometry: (origin: (x: Int, y: Int), pitch: (x: Int, y: Int), labelWidth: Int, headerTop: Int) {
        ((labelWidth + gap, lineHeight + gap), (cell + gap, rowHeight), labelWidth, gap)
    }

    /// The grid as an RGB image.
    var image: Image {
        let gap = self.gap, scale = self.scale, line = lineHeight, labelWidth = self.labelWidth, rowHeight = self.rowHeight
        let legendLines = legend.map { wrap($0, width: labelWidth + columnHeaders.count * (cell + gap)) } ?? []
        let width = labelWidth + columnHeaders.count * (cell + gap) + gap
        let height = line + gap + rowLabels.count * rowHeight + legendLines.count * line + gap
        var canvas = Image(width: width, height: height, channels: 3, filledWith: 24)
        for (column, header) in columnHeaders.enumerated() {
            let left = labelWidth + gap + column * (cell + gap)
            BitmapFont.draw(BitmapFont.fitting(header, width: cell - 2 * scale, scale: scale), into: &canvas, x: left, y: gap,
                            scale: scale, color: [255, 220, 120], background: nil)
        }
        for (row, label) in rowLabels.enumerated() {
            let top = line + gap + row * rowHeight
            BitmapFont.draw(label, into: &canvas, x: 2 * scale, y: top + (cell - BitmapFont.glyphHeight * scale) / 2, scale: scale,
                            color: [255, 255, 255], background: nil)
            for column in columnHeaders.indices {
                guard let tile = tiles[row][column] else { continue }
                let left = labelWidth + gap + column * (cell + gap)
                guard let image = tile.image else {
                    let text = BitmapFont.fitting(tile.caption ?? "", width: cell, scale: scale)
                    BitmapFont.draw(text, into: &canvas, x: left + (cell - BitmapFont.width(of: text, scale: scale)) / 2,
                                    y: top + (cell - BitmapFont.glyphHeight * scale) / 2, scale: scale, color: [150, 150, 150],
                                    background: nil)
                    continue
                }
                draw(image, into: &canvas, left: left, top: top)
                if column == markedColumn { frame(into: &canvas, left: left, top: top) }
                if let caption = tile.caption {
                    BitmapFont.draw(BitmapFont.fitting(caption, width: cell, scale: scale), into: &canvas, x: left,
                                    y: top + cell + 2 * scale, scale: scale, color: [170, 220, 255], background: nil)
                }
            }
        }
        for (index, text) in legendLines.enumerated() {
            BitmapFont.draw(text, into: &canvas, x: 2 * scale, y: line + gap + rowLabels.count * rowHeight + index * line, scale: scale,
                            color: [200, 200, 200], background: nil)
        }
        return canvas
    }

    /// Breaks a legend into lines that fit the width.
    private func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if BitmapFont.width(of: candidate, scale: scale) > width - 4 * scale, !current.isEmpty {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Draws the mark frame along the inside of a cell.
    private func frame(into canvas: inout Image, left: Int, top: Int) {
        for y in 0..<cell {
            for x in 0..<cell where x < markWidth || y < markWidth || x >= cell - markWidth || y >= cell - markWidth {
                for channel in 0..<3 { canvas[left + x, top + y, channel] = Self.markColor[channel] }
            }
        }
    }

    /// Scales an image into a cell (nearest neighbour, aspect kept, centred).
    private func draw(_ image: Image, into canvas: inout Image, left: Int, top: Int) {
        guard image.width > 0, image.height > 0 else { return }
        let factor = min(Double(cell) / Double(image.width), Double(cell) / Double(image.height))
        let width = max(1, Int(Double(image.width) * factor)), height = max(1, Int(Double(image.height) * factor))
        let x0 = left + (cell - width) / 2, y0 = top + (cell - height) / 2
        for y in 0..<height {
            let sourceY = min(image.height - 1, Int(Double(y) / factor))
            for x in 0..<width {
                let sourceX = min(image.width - 1, Int(Double(x) / factor))
                for channel in 0..<3 { canvas[x0 + x, y0 + y, channel] = image[sourceX, sourceY, image.channels == 1 ? 0 : channel] }
            }
        }
    }
}
