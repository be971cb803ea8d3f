import Foundation
import ImageCodec
import SGID
import TestSupport

/// The tiny, randomly initialised diffusers/BLIP/CLIP models the generator tests run on (built locally by
/// `Tests/Peers/make_tiny_models.py`, no hub access), and the heavy Python environment that runs them.
enum TinyModels {
    struct Missing: Error, CustomStringConvertible { let description: String }

    /// `$SGID_HEAVY_PYTHON`, else the heavy virtual environment made by `scripts/setup-heavy.sh`.
    static var python: String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["SGID_HEAVY_PYTHON"], !explicit.isEmpty { return explicit }
        return WorkerLocator.python()
    }

    static let directory: String = {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["SGID_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache/sgidkit")
        return cache + "/tiny-models"
    }()

    static let workerScript = PeerPython.repositoryRoot.appendingPathComponent("Workers/diffusers/sgid_worker.py").path

    /// Builds the models if needed (idempotent, fast when present) and returns their directory.
    /// - Throws: `Missing` when the heavy environment is absent (run scripts/test.sh), or the build's failure.
    static func prepare() throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Missing(description: "heavy Python (torch, diffusers) not found at \(python); run scripts/setup-heavy.sh")
        }
        try PeerPython.runProcess(python, [PeerPython.repositoryRoot.appendingPathComponent("Tests/Peers/make_tiny_models.py").path,
                                           directory])
        return directory
    }

    /// Generator options for the tiny models.
    static func options(workers: Int = 1, batch: Int = 4, captioner: Bool = true, scorer: Bool = false) throws -> GeneratorOptions {
        let root = try prepare()
        return GeneratorOptions(model: root + "/sd", captioner: captioner ? root + "/blip" : nil, scorer: scorer ? root + "/clip" : nil,
                                workers: workers, batch: batch)
    }

    /// The worker backend's own options for the tests: the heavy Python, the clone's worker, one torch thread.
    static let workerOptions = WorkerGeneratorOptions(python: python, workerScript: workerScript,
                                                      environment: ["HF_HUB_OFFLINE": "1", "SGID_TORCH_THREADS": "1"])

    /// One worker command per instance of `options`.
    static func commands(_ options: GeneratorOptions) -> [WorkerCommand] { workerOptions.commands(for: options) }

    /// A started worker generator on the tiny models.
    static func generator(workers: Int = 1, batch: Int = 4, captioner: Bool = true, scorer: Bool = false,
                          itemsPerRequest: Int = 8, retries: Int = 2,
                          log: @escaping @Sendable (String) -> Void = WorkerPool.standardError) throws -> WorkerGenerator {
        let options = try options(workers: workers, batch: batch, captioner: captioner, scorer: scorer)
        return WorkerGenerator(pool: try WorkerPool(commands: commands(options), retries: retries, log: log), itemsPerRequest: itemsPerRequest)
    }

    /// A natural-looking test photo.
    static func photo(_ number: Int, width: Int = 80, height: Int = 64) -> Image {
        var image = Image(width: width, height: height, channels: 3)
        for y in 0..<height {
            for x in 0..<width {
                image[x, y, 0] = UInt8(truncatingIfNeeded: x * 3 + number * 37)
                image[x, y, 1] = UInt8(truncatingIfNeeded: y * 4 + number * 11)
                image[x, y, 2] = UInt8(truncatingIfNeeded: (x ^ y) + number * 5)
            }
        }
        return image
    }

    /// Writes an ImageFolder of `perClass` JPEGs in each of `classes` class folders.
    static func imageFolder(in directory: TemporaryDirectory, classes: [String] = ["golden_retriever", "tabby_cat", "goldfinch"],
                            perClass: Int = 8) throws -> String {
        let root = directory.path("images")
        var number = 0
        for name in classes {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            for index in 0..<perClass {
                let jpeg = try JPEGEncoder.encode(photo(number), quality: 90)
                try Data(jpeg).write(to: URL(fileURLWithPath: "\(root)/\(name)/\(index).jpg"))
                number += 1
            }
        }
        return root
    }
}
