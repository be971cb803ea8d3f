import Foundation
import ImageCodec

/// The benchmark's input: every JPEG file held in memory, with its declared size.
struct ImageSet {
    /// One encoded file.
    struct File {
        /// The file's name, for error messages.
        let name: String
        /// The whole encoded file.
        let bytes: [UInt8]
        /// Full-resolution width and height, from the header.
        let size: PixelSize
    }

    /// The files, in the order given on the command line.
    let files: [File]

    /// Reads every file into memory and parses its header.
    /// - Parameter paths: The JPEG files.
    /// - Throws: When a file cannot be read or its header is malformed.
    init(paths: [String]) throws {
        files = try paths.map { path in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let info = try ImageDecoder.info(bytes)
            return File(name: (path as NSString).lastPathComponent, bytes: bytes,
                        size: PixelSize(width: info.width, height: info.height))
        }
    }

    /// The options that force the DCT scale 1/`denominator` for a `size` image through the public API: the
    /// decoder picks the coarsest scale whose output (`ceil(side / d)`) still covers `minimumSize`, so asking for
    /// exactly the 1/denominator size selects that denominator.
    /// - Parameters:
    ///   - denominator: 1, 2, 4 or 8.
    ///   - size: The full-resolution size.
    /// - Returns: RGB options for that scale: the exact mode at full scale (fancy upsampling, what the C program
    ///   does; the fast mode's plain upsampling would be less work and other pixels), the fast mode's DCT scaling else.
    static func options(denominator: Int, for size: PixelSize) -> DecodeOptions {
        if denominator == 1 { return DecodeOptions(mode: .rgb) }
        return DecodeOptions(mode: .rgb, minimumSize: PixelSize(width: (size.width + denominator - 1) / denominator,
                                                         height: (size.height + denominator - 1) / denominator))
    }
}
