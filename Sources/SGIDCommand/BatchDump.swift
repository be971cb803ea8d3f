import Foundation
import ImageCodec
import Loader

/// Writes a batch as files: each image as `SLOT-KEY.png` (the key escaped by `SafeFileName`; floats are mapped back
/// through the normalisation) and next to it `SLOT-KEY.target.json`, what a training step sees for that image:
/// `{"key", "label", "class"}` (the hard label; `null` where there is none) and, when the loader's Mixup/CutMix ran,
/// `"target"` — the image's soft-target row, the row of `target` that timm's `Mixup(x, y)` returns (`num_classes`
/// probabilities summing to 1, label smoothing included) — with how it was mixed: `"lambda"` (the image's own
/// weight), `"partner"` (slot), `"partner_key"`, `"partner_label"` and the CutMix `"box"` (`null` for Mixup).
/// A rerun replaces its files atomically; a symbolic link in their place is refused.
enum BatchDump {
    /// Writes the batch.
    /// - Parameters:
    ///   - batch: The batch (after mixing, as the loader delivered it).
    ///   - classNames: Class names by label (may be empty).
    ///   - directory: The folder, created if missing.
    /// - Throws: `CommandFailure` naming the file that could not be written.
    static func write(_ batch: Batch, classNames: [String], to directory: String) throws(CommandFailure) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("--dump: cannot create \(directory): \(error.localizedDescription)")
        }
        for slot in 0..<batch.count {
            let name = "\(directory)/\(slot)-\(SafeFileName.escape(batch.keys[slot]))"
            do {
                try OutputFile.replace(try PNGEncoder.encode(batch.image(at: slot)), at: name + ".png")
                try OutputFile.replace(Array(targetJSON(batch, slot: slot, classNames: classNames).utf8), at: name + ".target.json")
            } catch let error as OutputFile.Failure {
                throw CommandFailure("--dump: \(error.description)")
            } catch {
                throw CommandFailure("--dump: \(name).png: \(error)")
            }
        }
    }

    /// One image's target file.
    static func targetJSON(_ batch: Batch, slot: Int, classNames: [String]) -> String {
        func label(_ slot: Int) -> String { batch.labels[slot] < 0 ? "null" : String(batch.labels[slot]) }
        let own = Int(batch.labels[slot])
        var fields = ["\"key\":\(jsonString(batch.keys[slot]))", "\"label\":\(label(slot))",
                      "\"class\":" + (classNames.indices.contains(own) ? jsonString(classNames[own]) : "null")]
        if let targets = batch.targets, let mix = batch.mixes?[slot], batch.count > 0 {
            let classes = targets.count / batch.count
            let row = targets[(slot * classes)..<((slot + 1) * classes)]
            fields.append("\"target\":[" + row.map { $0.description }.joined(separator: ",") + "]")
            fields.append("\"lambda\":\(mix.lambda)")
            fields.append("\"partner\":\(mix.partner)")
            fields.append("\"partner_key\":\(jsonString(batch.keys[mix.partner]))")
            fields.append("\"partner_label\":\(label(mix.partner))")
            fields.append("\"box\":" + (mix.box.map { "{\"top\":\($0.top),\"bottom\":\($0.bottom),\"left\":\($0.left),\"right\":\($0.right)}" } ?? "null"))
        }
        return "{" + fields.joined(separator: ",") + "}\n"
    }
}
