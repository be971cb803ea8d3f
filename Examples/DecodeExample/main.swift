// Decodes every image in a folder the way a training loader would: exact mode for validation, fast mode for a
// 224-pixel training crop. Usage: swift run DecodeExample FOLDER
import Foundation
import ImageCodec

let folder = CommandLine.arguments.dropFirst().first ?? "."
let names = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? []
var decoded = 0, failed = 0
for name in names {
    let path = (folder as NSString).appendingPathComponent(name)
    guard let data = FileManager.default.contents(atPath: path) else { continue }
    let bytes = [UInt8](data)
    do {
        let exact = try ImageDecoder.decode(bytes)
        let fast = try bytes.withUnsafeBytes {
            try ImageDecoder.decodeWithGeometry($0, options: DecodeOptions(minimumSize: PixelSize(width: 224, height: 224)))
        }
        print("\(name): \(exact.width)x\(exact.height) exact, \(fast.image.width)x\(fast.image.height) at 1/\(fast.scaleDenominator)")
        decoded += 1
    } catch let error as ImageCodecError {
        print("skipped \(error.located(path))")
        failed += 1
    } catch {
        print("skipped \(path): \(error)")
        failed += 1
    }
}
print("decoded \(decoded), skipped \(failed)")
