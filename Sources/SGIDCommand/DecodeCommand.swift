import ArgumentParsing
import Foundation
import ImageCodec

/// `sgid decode IN OUT [--min-size WxH] [--region x,y,w,h] [--mode rgb|gray]`: decodes any supported image and writes
/// it as PNG, printing one JSON line with the format and the geometry actually decoded.
enum DecodeCommand: SubCommand {
    static let spec = CommandSpec(
        name: "decode", synopsis: "decode IN OUT [--min-size WxH] [--region x,y,w,h] [--mode rgb|gray]",
        options: [
            .value("min-size", help: "fast mode: coarsest JPEG DCT scale whose output still covers WxH"),
            .value("region", help: "decode only this full-resolution rectangle"),
            .value("mode", help: "rgb (Pillow convert('RGB'), default) or gray (convert('L'))"),
            .value("max-pixels", help: "refuse images with more pixels (default \(DecodeOptions.pillowMaxPixels))"),
        ],
        positionals: 2...2)
    static let summary = "decode an image (JPEG, PNG, WebP, BMP, PNM, TIFF) and write it as PNG"

    static func run(_ arguments: ParsedArguments) throws {
        let input = arguments.positionals[0], output = arguments.positionals[1]
        var options = DecodeOptions()
        options.minimumSize = try arguments.value("min-size", as: GeometryArguments.sizeExpectation, GeometryArguments.size)
        options.region = try arguments.value("region", as: GeometryArguments.regionExpectation, GeometryArguments.region)
        options.mode = try arguments.value("mode", as: "rgb or gray") { ColorMode(rawValue: $0) } ?? .rgb
        options.maxPixels = try arguments.integer("max-pixels", in: 1...Int.max) ?? options.maxPixels

        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: input)))
        } catch {
            throw CommandFailure("cannot read \(input): \(error.localizedDescription)")
        }
        let decoded: DecodedImage
        let format: ImageFormat
        do {
            (decoded, format) = try bytes.withUnsafeBytes { raw in
                (try ImageDecoder.decodeWithGeometry(raw, options: options), try ImageDecoder.info(raw).format)
            }
        } catch let error as ImageCodecError {
            throw CommandFailure(error.located(input).description)
        }
        let png = try PNGEncoder.encode(decoded.image)
        do {
            try OutputFile.replace(png, at: output)
        } catch {
            throw CommandFailure(error.description)
        }
        let region = decoded.sourceRegion
        print("{\"input\":\(jsonString(input)),\"format\":\"\(format.rawValue)\",\"width\":\(decoded.image.width),"
              + "\"height\":\(decoded.image.height),\"channels\":\(decoded.image.channels),"
              + "\"scale\":\"1/\(decoded.scaleDenominator)\","
              + "\"source_region\":[\(region.x),\(region.y),\(region.width),\(region.height)]}")
    }
}

/// A JSON string literal for `text`.
/// - Parameter text: Any string.
/// - Returns: The quoted, escaped literal.
func jsonString(_ text: String) -> String {
    let data = try? JSONEncoder().encode(text)
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
}
