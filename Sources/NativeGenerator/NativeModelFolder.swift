import CacheShard
import Diffusion
import Foundation

/// A model folder of the native generator: the layout diffusers' `DDPMPipeline.save_pretrained` writes
/// (`unet/config.json`, `unet/diffusion_pytorch_model.safetensors`, `scheduler/scheduler_config.json`, optional
/// `model_index.json`), plus SGID's own files:
/// - `classes.json`: a JSON list of class names, index = class embedding (a trailing null class may be left out);
/// - `sgid.json` (optional): `{"fit": "pad" | "resize", "pad_value": 0…255, "null_class": n}` — how a source of another
///   size is brought to the model's sample size (centred zero-padding, e.g. 28 → 32 for Fashion-MNIST, or a
///   Pillow-exact bicubic resize; default resize), the padding's pixel value (default 0), and the unconditional class
///   guidance uses (default the last embedding when `classes.json` leaves it out).
public struct NativeModelFolder: Sendable {
    /// How sources of another size are brought to the sample size.
    public enum Fit: String, Sendable, Hashable, Codable {
        /// Centred padding with `padValue` (sources no larger than the sample size), cropped off afterwards.
        case pad
        /// Pillow-exact bicubic resize in, and back out.
        case resize
    }

    /// The folder.
    public let path: String
    /// The UNet.
    public let unet: UNet2DModel
    /// The scheduler, as configured (or run as another kind).
    public let scheduler: Scheduler
    /// The scheduler configuration's JSON text (provenance and fingerprint).
    public let schedulerJSON: String
    /// Class names by embedding index (empty for an unconditional model).
    public let classes: [String]
    /// The unconditional class, when guidance is possible.
    public let nullClass: Int?
    /// How sources are fitted.
    public let fit: Fit
    /// The padding's pixel value.
    public let padValue: UInt8
    /// `sha256:` of the generation-relevant files' relative paths, sizes and bytes (`digestedParts`): the revision.
    public let digest: String

    /// Loads a folder.
    /// - Parameters:
    ///   - path: The folder.
    ///   - schedulerKind: Run the schedule with this sampler instead of the configured one.
    /// - Throws: `DiffusionError` naming the file and key: a missing part, a bad class list, bad settings, or any
    ///   error of the UNet and scheduler.
    public init(path: String, schedulerKind: SchedulerKind? = nil) throws(DiffusionError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiffusionError(.missingFile, "is not a model folder (unet/, scheduler/, classes.json)", file: path)
        }
        if FileManager.default.fileExists(atPath: path + "/model_index.json") {
            let index = try Self.json(path + "/model_index.json") as? [String: Any]
            let name = index?["_class_name"] as? String
            guard name == nil || ["DDPMPipeline", "DDIMPipeline"].contains(name!) else {
                throw DiffusionError(.unsupported, "is a \(name!), not a DDPMPipeline or DDIMPipeline", file: path + "/model_index.json")
            }
        }
        unet = try UNet2DModel(folder: path + "/unet")
        scheduler = try Scheduler(file: path + "/scheduler/scheduler_config.json", as: schedulerKind)
        schedulerJSON = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: path + "/scheduler/scheduler_config.json"))) ?? Data(),
                               as: UTF8.self)
        let embeddings = unet.config.numClassEmbeds
        if FileManager.default.fileExists(atPath: path + "/classes.json") {
            guard let names = try Self.json(path + "/classes.json") as? [String], !names.isEmpty else {
                throw DiffusionError(.badConfig, "must be a JSON list of class names", file: path + "/classes.json")
            }
            guard let embeddings, names.count == embeddings || names.count == embeddings - 1 else {
                throw DiffusionError(.badConfig, "lists \(names.count) classes for a UNet with \(embeddings.map(String.init) ?? "no") class "
                                     + "embeddings (num_class_embeds, or one fewer when the last is the null class)", file: path + "/classes.json")
            }
            guard Set(names).count == names.count else { throw DiffusionError(.badConfig, "lists a class twice", file: path + "/classes.json") }
            classes = names
        } else {
            guard embeddings == nil else {
                throw DiffusionError(.missingFile, "is missing: a class-conditional UNet needs the class names of its embeddings",
                                     file: path + "/classes.json")
            }
            classes = []
        }
        var settings: [String: Any] = [:]
        if FileManager.default.fileExists(atPath: path + "/sgid.json") {
            guard let object = try Self.json(path + "/sgid.json") as? [String: Any] else {
                throw DiffusionError(.badConfig, "must be a JSON object", file: path + "/sgid.json")
            }
            if let unknown = object.keys.sorted().first(where: { !["fit", "pad_value", "null_class"].contains($0) }) {
                throw DiffusionError(.unsupported, "unknown key '\(unknown)' (known: fit, pad_value, null_class)", file: path + "/sgid.json")
            }
            settings = object
        }
        let fitName = settings["fit"] as? String ?? "resize"
        guard let fit = Fit(rawValue: fitName) else {
            throw DiffusionError(.unsupported, "'fit' = \(fitName) (supported: pad, resize)", file: path + "/sgid.json")
        }
        self.fit = fit
        let pad = (settings["pad_value"] as? NSNumber)?.intValue ?? 0
        guard (0...255).contains(pad) else { throw DiffusionError(.badConfig, "'pad_value' must be in 0...255", file: path + "/sgid.json") }
        padValue = UInt8(pad)
        if let null = (settings["null_class"] as? NSNumber)?.intValue {
            guard let embeddings, (0..<embeddings).contains(null) else {
                throw DiffusionError(.badConfig, "'null_class' \(null) is not a class embedding", file: path + "/sgid.json")
            }
            nullClass = null
        } else if let embeddings, classes.count == embeddings - 1 {
            nullClass = embeddings - 1
        } else {
            nullClass = nil
        }
        digest = try Self.modelDigest(of: path)
    }

    static func json(_ file: String) throws(DiffusionError) -> Any {
        guard let data = FileManager.default.contents(atPath: file) else { throw DiffusionError(.missingFile, "cannot be read", file: file) }
        do {
            return try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DiffusionError(.badConfig, "is not JSON (\(error.localizedDescription))", file: file)
        }
    }

    /// The class index of a label: its position in `classes.json`, the same with `/` written `_` (a class name used as
    /// an ImageFolder directory: `T-shirt_top`), or the label itself when it is an index number.
    /// - Parameter label: The class name (or index text).
    /// - Returns: The index.
    /// - Throws: `.invalidArgument` naming the label and the known classes.
    public func classIndex(of label: String) throws(DiffusionError) -> Int {
        guard let index = Self.classIndex(of: label, in: classes) else {
            throw DiffusionError(.invalidArgument, "label '\(label)' is not one of the model's classes: " + classes.joined(separator: ", "),
                                 file: path + "/classes.json")
        }
        return index
    }

    /// The index of a label in a class list: its position, the same with `/` written `_`, or the label itself when it
    /// is an index number; `nil` when none matches.
    /// - Parameters:
    ///   - label: The class name (or index text).
    ///   - classes: The class names.
    /// - Returns: The index.
    public static func classIndex(of label: String, in classes: [String]) -> Int? {
        if let index = classes.firstIndex(of: label) { return index }
        if let index = classes.firstIndex(where: { $0.replacingOccurrences(of: "/", with: "_") == label }) { return index }
        if let number = Int(label), classes.indices.contains(number) { return number }
        return nil
    }

    /// The parts of a model folder that change what it generates or how variants are scored; documentation beside
    /// them (a model card, sample grids, loss curves) does not enter the digest, so editing it keeps caches valid.
    static let digestedParts: Set<String> = ["unet", "scheduler", "scorer", "classes.json", "sgid.json", "model_index.json"]

    /// The content digest of a model folder: its `digestedParts` (every file of a classifier folder).
    static func modelDigest(of folder: String) throws(DiffusionError) -> String {
        try digest(of: folder) { relative in
            digestedParts.contains(String(relative.split(separator: "/", maxSplits: 1).first ?? ""))
        }
    }

    /// The content digest of a folder's files.
    /// - Parameters:
    ///   - folder: The folder.
    ///   - include: Which relative paths count (default all).
    /// - Returns: `sha256:` of every included file's relative path, size and bytes, sorted, hidden files left out.
    public static func digest(of folder: String, including include: (String) -> Bool = { _ in true }) throws(DiffusionError) -> String {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            throw DiffusionError(.missingFile, "cannot be listed", file: folder)
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue,
               include(relative) {
                files.append(relative)
            }
        }
        var hasher = SHA256()
        for relative in files.sorted() {
            guard let data = FileManager.default.contents(atPath: folder + "/" + relative) else {
                throw DiffusionError(.missingFile, "cannot be read", file: folder + "/" + relative)
            }
            Array("\(relative)\u{0}\(data.count)\u{0}".utf8).withUnsafeBytes { hasher.update($0) }
            data.withUnsafeBytes { hasher.update($0) }
        }
        return "sha256:" + hasher.finalize().description
    }
}
