import CodecShims

/// A region of an image decoded at full scale in the exact mode, handed out band by band from top to bottom, so that
/// a consumer (a resize's first pass) never holds all of the region's pixels. The rows are those of
/// `ImageDecoder.decode(bytes, options:)` for the same options, byte for byte.
///
/// JPEG regions are decoded as they are read (only the rows down to the last one read, and the iMCU columns that
/// cover the region); other formats are decoded in full first and copied out.
public struct RegionRows: ~Copyable {
    /// Where the rows come from.
    private enum Source {
        /// A started libjpeg decompressor, and how its components map to the requested mode.
        case jpeg(ShimHandle, components: Int)
        /// Pixels decoded in full and cropped.
        case decoded(Image)
    }

    /// Region width in pixels.
    public let width: Int
    /// Region height in pixels.
    public let height: Int
    /// Bytes per pixel (of `mode`).
    public let channels: Int
    /// Rows handed out so far.
    public private(set) var rowsRead = 0
    private let mode: ColorMode
    private let source: Source
    /// Decoder output for a band when the decoder's components differ from the mode's channels.
    private var raw: [UInt8] = []

    /// Reads the next `count` rows (at most `height - rowsRead`) into `target`, rows `rowBytes` apart. Reading the
    /// last row also checks that the file does not end before the image's last row (a full decode, and Pillow, refuse
    /// such a file), so a region never reads what the whole image would not.
    /// - Parameters:
    ///   - count: Rows to read.
    ///   - target: Room for `count` rows.
    ///   - rowBytes: Distance between rows in `target` (at least `width * channels`).
    /// - Throws: `ImageCodecError` for corrupt or truncated data (naming the rows being read), `.invalidArgument`
    ///   past the last row. A corrupt or truncated file ends the region: later reads throw the same error.
    public mutating func read(rows count: Int, into target: UnsafeMutablePointer<UInt8>,
                              rowBytes: Int) throws(ImageCodecError) {
        guard count >= 0, count <= height - rowsRead, rowBytes >= width * channels else {
            throw ImageCodecError(.invalidArgument, "read of \(count) rows at row \(rowsRead) of \(height)")
        }
        do {
            try readRows(count, into: target, rowBytes: rowBytes)
        } catch {
            throw ImageCodecError(error.kind, format: error.format, error.message
                                  + " (reading rows \(rowsRead)..<\(rowsRead + count) of a \(width)x\(height) region)",
                                  context: error.context)
        }
        rowsRead += count
    }

    private mutating func readRows(_ count: Int, into target: UnsafeMutablePointer<UInt8>,
                                   rowBytes: Int) throws(ImageCodecError) {
        switch source {
        case .decoded(let image):
            image.pixels.withUnsafeBufferPointer { pixels in
                for row in 0..<count {
                    (target + row * rowBytes).update(from: pixels.baseAddress! + (rowsRead + row) * image.rowBytes,
                                                     count: image.rowBytes)
                }
            }
        case .jpeg(let handle, let components):
            if components == channels {
                let code = sgid_jpeg_read_rows(handle.pointer, target, rowBytes, Int32(count))
                guard code == SGID_OK else { throw JPEGDecoder.error(code: code, message: handle.message) }
            } else {
                try readConverted(count, from: handle, components: components, into: target, rowBytes: rowBytes)
            }
        }
    }

    /// Decodes rows in the decoder's own components and converts them to the mode as Pillow would.
    private mutating func readConverted(_ count: Int, from handle: ShimHandle, components: Int,
                                        into target: UnsafeMutablePointer<UInt8>,
                                        rowBytes: Int) throws(ImageCodecError) {
        let rawRowBytes = width * components
        if raw.count < count * rawRowBytes { raw = [UInt8](repeating: 0, count: count * rawRowBytes) }
        let code = raw.withUnsafeMutableBufferPointer {
            sgid_jpeg_read_rows(handle.pointer, $0.baseAddress!, rawRowBytes, Int32(count))
        }
        guard code == SGID_OK else { throw JPEGDecoder.error(code: code, message: handle.message) }
        raw.withUnsafeBufferPointer { source in
            for row in 0..<count {
                JPEGDecoder.convert(source.baseAddress! + row * rawRowBytes, components: components, to: mode,
                                    into: target + row * rowBytes, pixelCount: width)
            }
        }
    }

    /// Opens the region of `options.region` (the whole image if `nil`) for reading.
    fileprivate init(jpeg bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageCodecError) {
        let started = try JPEGDecoder.start(bytes, options: options)
        width = started.region.width
        height = started.region.height
        mode = options.mode
        channels = options.mode.channels
        source = .jpeg(started.handle, components: Int(started.output.components))
    }

    fileprivate init(decoded image: Image, mode: ColorMode) {
        width = image.width
        height = image.height
        channels = image.channels
        self.mode = mode
        source = .decoded(image)
    }
}

extension ImageDecoder {
    /// Opens a region for band-by-band reading in the exact mode and hands it to `body`. The encoded bytes must stay
    /// valid during `body` (libjpeg reads them as rows are decoded).
    /// - Parameters:
    ///   - bytes: The whole encoded file.
    ///   - options: Mode, limits and region; `minimumSize` must be `nil` (the rows are at full scale).
    ///   - body: Reads the rows.
    /// - Returns: What `body` returns.
    /// - Throws: `ImageCodecError` from opening or from `body`'s reads.
    public static func withRegionRows<Result>(
        _ bytes: UnsafeRawBufferPointer, options: DecodeOptions,
        _ body: (inout RegionRows) throws(ImageCodecError) -> Result
    ) throws(ImageCodecError) -> Result {
        guard options.minimumSize == nil else {
            throw ImageCodecError(.invalidArgument, "region rows are read at full scale: minimumSize must be nil")
        }
        var rows: RegionRows
        if try sniffOrThrow(bytes) == .jpeg {
            rows = try RegionRows(jpeg: bytes, options: options)
        } else {
            rows = RegionRows(decoded: try decode(bytes, options: options), mode: options.mode)
        }
        return try body(&rows)
    }
}
