import ImageCodec

/// A grid of image tiles on a dark background, for previews: each image is scaled (nearest neighbour, keeping the
/// aspect ratio) into a fixed-size cell.
struct ContactSheet {
    let cellWidth: Int
    let cellHeight: Int
    let columns: Int
    let rows: Int
    let gap = 4
    private(set) var canvas: Image

    /// Creates an empty sheet.
    /// - Parameters:
    ///   - columns: Cells per row.
    ///   - rows: Rows of cells.
    ///   - cellWidth: Cell width in pixels.
    ///   - cellHeight: Cell height in pixels.
    init(columns: Int, rows: Int, cellWidth: Int, cellHeight: Int) {
        self.columns = columns
        self.rows = rows
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
        canvas = Image(width: columns * (cellWidth + gap) + gap, height: rows * (cellHeight + gap) + gap,
                       channels: 3, filledWith: 24)
    }

    /// Draws an image into a cell, scaled to fit.
    /// - Parameters:
    ///   - image: A gray or RGB image.
    ///   - column: The cell's column.
    ///   - row: The cell's row.
    mutating func place(_ image: Image, column: Int, row: Int) {
        guard image.width > 0, image.height > 0 else { return }
        let scale = min(Double(cellWidth) / Double(image.width), Double(cellHeight) / Double(image.height))
        let width = max(1, Int(Double(image.width) * scale)), height = max(1, Int(Double(image.height) * scale))
        let left = gap + column * (cellWidth + gap) + (cellWidth - width) / 2
        let top = gap + row * (cellHeight + gap) + (cellHeight - height) / 2
        for y in 0..<height {
            let sourceY = min(image.height - 1, Int(Double(y) / scale))
            for x in 0..<width {
                let sourceX = min(image.width - 1, Int(Double(x) / scale))
                for channel in 0..<3 {
                    canvas[left + x, top + y, channel] = image[sourceX, sourceY, image.channels == 1 ? 0 : channel]
                }
            }
        }
    }
}
