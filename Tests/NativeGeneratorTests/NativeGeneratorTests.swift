import CacheShard
import Foundation
import ImageCodec
import NativeGenerator
import SGID
import Testing
import TestSupport

/// The `native` generator on a diffusers-saved DDPMPipeline folder (a randomly initialised Fashion-MNIST UNet made by
/// the diffusers peer, with classes.json and sgid.json): determinism across threads, fitting, labels, and
/// `sgid precompute --generator native` end to end without Python.
@Suite("Native generator", .serialized)
struct NativeGeneratorTests {
    static let folder: String? = {
        guard let python = PeerPython.heavyInterpreter, let directory = try? TemporaryDirectory() else { return nil }
        let script = PeerPython.repositoryRoot.appendingPathComponent("Tests/Peers/diffusers_parity.py").path
        guard (try? PeerPython.runProcess(python, [script, "pipeline", directory.path("model")])) != nil else { return nil }
        retained.append(directory)
        return directory.path("model")
    }()
    nonisolated(unsafe) static var retained: [TemporaryDirectory] = []

    static func model() throws -> String { try #require(folder, "the diffusers peer did not run (heavy environment missing?)") }

    static func generator(threads: Int, extra: [String: String] = [:]) throws -> any ImageGenerator {
        let options = GeneratorOptions(model: try model(), backendOptions: ["threads": String(threads)].merging(extra) { _, new in new })
        return try NativeGenerator.plugin(options).generator
    }

    static func photo(_ number: Int, size: Int = 28, channels: Int = 1) -> Image {
        var image = Image(width: size, height: size, channels: channels)
        for index in 0..<image.pixels.count { image.pixels[index] = UInt8(truncatingIfNeeded: (index * 37 + number * 91) % 251) }
        return image
    }

    static func request(_ key: String, _ image: Image, label: String, seeds: [UInt64]) -> GenerationRequest {
        GenerationRequest(key: key, image: image, label: label, prompt: "a photo of a \(label)", strength: 0.5, guidance: 2,
                          steps: 20, seeds: seeds, outputSize: PixelSize(width: 32, height: 32))
    }

    @Test func capabilitiesDescribeAClassConditionalGrayModel() throws {
        let generator = try Self.generator(threads: 1)
        #expect(generator.capabilities == GeneratorCapabilities(conditioning: .classLabel, channels: 1,
                                                                defaultSize: PixelSize(width: 32, height: 32), fitsSources: true))
        #expect(generator.identity.revision.hasPrefix("sha256:") && generator.identity.detailsJSON.contains("DDIMScheduler"))
    }

    @Test func aSeedGivesTheSameBytesWhateverTheThreadCount() throws {
        let requests = [Self.request("a", Self.photo(1), label: "Coat", seeds: [1, 2, 3, 4]),
                        Self.request("b", Self.photo(2), label: "Bag", seeds: [5, 6]),
                        Self.request("c", Self.photo(3), label: "7", seeds: [1])]
        let one = try Self.generator(threads: 1).generate(requests)
        let two = try Self.generator(threads: 2).generate(requests)
        let three = try Self.generator(threads: 3).generate(requests)
        #expect(one.allSatisfy { $0.error == nil })
        #expect(one.map(\.images) == two.map(\.images) && two.map(\.images) == three.map(\.images))
        #expect(one[0].images.allSatisfy { $0.width == 28 && $0.height == 28 && $0.channels == 1 })
        #expect(Set(one[0].images.map(\.pixels)).count == 4, "different seeds give different images")
        #expect(one[0].images[0] != one[2].images[0], "different sources and classes give different images")
        #expect(one[0].provenance["class_index"] == .integer(4) && one[2].provenance["class_index"] == .integer(7))
    }

    @Test func sourcesOfOtherSizesAndChannelsComeBackAtTheirSize() throws {
        let generator = try Self.generator(threads: 2)
        let results = try generator.generate([
            Self.request("rgb", Self.photo(4, channels: 3), label: "Dress", seeds: [9]),
            Self.request("large", Self.photo(5, size: 40), label: "Dress", seeds: [9]),
            Self.request("exact", Self.photo(6, size: 32), label: "Dress", seeds: [9]),
        ])
        #expect(results.map { $0.images.first.map { [$0.width, $0.height, $0.channels] } } == [[28, 28, 1], [40, 40, 1], [32, 32, 1]])
    }

    @Test func anUnknownLabelFailsItsRequestOnlyNamingTheClasses() throws {
        let results = try Self.generator(threads: 2).generate([
            Self.request("good", Self.photo(1), label: "Sneaker", seeds: [1]),
            Self.request("bad", Self.photo(1), label: "Giraffe", seeds: [1]),
        ])
        #expect(results[0].error == nil && results[0].images.count == 1)
        #expect(results[1].error?.key == "bad" && results[1].error?.message.contains("'Giraffe'") == true)
        #expect(results[1].error?.message.contains("Ankle boot") == true)
        #expect(throws: GeneratorError.self) { try Self.generator(threads: 1, extra: ["gpus": "0"]) }
        #expect(throws: GeneratorError.self) { try Self.generator(threads: 1, extra: ["scheduler": "pndm"]) }
    }

    /// An ImageFolder of 28×28 gray PNGs in three Fashion-MNIST classes.
    static func imageFolder(_ directory: TemporaryDirectory) throws -> String {
        let root = directory.path("images")
        for (number, name) in ["Coat", "Trouser", "Bag"].enumerated() {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            for index in 0..<3 {
                try Data(PNGEncoder.encode(Self.photo(number * 3 + index))).write(to: URL(fileURLWithPath: "\(root)/\(name)/\(index).png"))
            }
        }
        return root
    }

    static func precompute(_ images: String, cache: String, _ extra: [String] = [], environment: [String: String]? = nil) throws -> ProgramRun {
        var options: [(String, String)] = [("--generator", "native"), ("--model", try model()), ("--variants", "2"), ("--strength", "0.5"),
                                           ("--guidance", "2"), ("--steps", "20"), ("--seed", "3"), ("--threads", "2")]
        for pair in stride(from: 0, to: extra.count, by: 2) {  // extras override or add options
            options.removeAll { $0.0 == extra[pair] }
            options.append((extra[pair], extra[pair + 1]))
        }
        let arguments = ["precompute", images, "--cache", cache] + options.flatMap { [$0.0, $0.1] }
        guard let environment else { return try ProgramRun.run(BuiltProducts.path("sgid"), arguments) }
        // With a reduced environment: no Python on PATH, no worker interpreter.
        return try ProgramRun.run("/usr/bin/env", ["-i"] + environment.map { "\($0.key)=\($0.value)" } + [BuiltProducts.path("sgid")] + arguments)
    }

    static func records(_ cache: String) throws -> [CacheRecord] {
        let reader = try CacheShardReader(path: cache + "/rank-00000-of-00001.sgidc")
        #expect(reader.verify().isClean)
        return try reader.index.entries.map { try reader.record(of: $0) }
    }

    @Test func precomputeFillsACacheWithoutPythonAndTheFingerprintFollowsSettingsAndWeights() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory)
        let cache = directory.path("cache")
        let run = try Self.precompute(images, cache: cache, environment: ["PATH": "/nonexistent", "HOME": directory.path("home"),
                                                                          "SGID_WORKER_PYTHON": "/nonexistent/python"])
        #expect(run.status == 0, "\(run.output)\n\(run.errors)")
        #expect(run.output.contains("done: 9 seen, 9 generated"), "\(run.output)")
        let records = try Self.records(cache)
        #expect(records.count == 9)
        for record in records {
            #expect(record.variants.count == 2 && record.variants.allSatisfy { $0.width == 28 && $0.height == 28 && $0.channels == 1 })
            let provenance = try #require(try JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8)) as? [String: Any])
            let label = String(record.meta.key.split(separator: "/")[0])
            #expect(provenance["label"] as? String == label)
            #expect(provenance["class_index"] as? Int == ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                                                           "Sneaker", "Bag", "Ankle boot"].firstIndex(of: label))
            #expect((provenance["conditioning"] as? String)?.contains("caption is not used") == true)
            #expect((provenance["revision"] as? String)?.hasPrefix("sha256:") == true && provenance["scheduler"] as? String == "DDIMScheduler")
        }
        // Rerun: everything cached. Another setting or other weights: a different fingerprint, everything generated.
        #expect(try Self.precompute(images, cache: cache).output.contains("0 generated, 9 skipped"))
        #expect(try Self.precompute(images, cache: cache, ["--guidance", "3"]).output.contains("9 generated, 0 skipped"))
        let weights = try Self.model() + "/unet/diffusion_pytorch_model.safetensors"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: weights))
        let original = bytes
        bytes[bytes.count - 1] ^= 1
        try bytes.write(to: URL(fileURLWithPath: weights))
        defer { try? original.write(to: URL(fileURLWithPath: weights)) }
        #expect(try Self.precompute(images, cache: cache).output.contains("9 generated, 0 skipped"))
        // Same seed and settings in a fresh cache with one thread: the same bytes.
        try original.write(to: URL(fileURLWithPath: weights))
        let single = directory.path("single")
        #expect(try Self.precompute(images, cache: single, ["--threads", "1"]).status == 0)
        let byKey = Dictionary(uniqueKeysWithValues: records.map { ($0.meta.key, $0.variants) })
        for record in try Self.records(single) { #expect(record.variants == byKey[record.meta.key], "\(record.meta.key)") }
    }

    @Test func impossibleSettingsAreRefused() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory)
        let noStep = try Self.precompute(images, cache: directory.path("a"), ["--steps", "10", "--strength", "0.05"])
        #expect(noStep.status == 2 && noStep.errors.contains("leaves no denoising step"), "\(noStep.errors)")
        let filter = try Self.precompute(images, cache: directory.path("b"), ["--min-score", "0.5"])
        #expect(filter.status == 2 && filter.errors.contains("consistency scorer"), "\(filter.errors)")
        let worker = try Self.precompute(images, cache: directory.path("c"), ["--gpus", "0"])
        #expect(worker.status != 0 && worker.errors.contains("no option --gpus"), "\(worker.errors)")
        // Refused before any model loads (issue 15): with a model folder that does not exist, the settings are what
        // is named, exit 2, and no cache is created.
        for (extra, named) in [(["--steps", "10", "--strength", "0.05"], "leaves no denoising step"), (["--variants", "0"], "--variants"),
                               (["--prompt-mode", "captions"], "--prompt-mode"), (["--strength", "0.5,0"], "--strength"),
                               (["--steps", "0"], "--steps")] {
            let cache = directory.path("never")
            let run = try Self.precompute(images, cache: cache, ["--model", directory.path("no-such-model")] + extra)
            #expect(run.status == 2 && run.errors.contains(named) && !run.errors.contains("no-such-model"), "\(extra): \(run.errors)")
            #expect(!FileManager.default.fileExists(atPath: cache), "\(extra)")
        }
    }

    @Test func theDiffusersWorkerRunsTheSameModelFolder() throws {
        let directory = try TemporaryDirectory()
        let images = try Self.imageFolder(directory)
        let python = try #require(PeerPython.heavyInterpreter)
        let run = try ProgramRun.run(BuiltProducts.path("sgid"), [
            "precompute", images, "--cache", directory.path("cache"), "--generator", "diffusers", "--model", try Self.model(),
            "--variants", "2", "--strength", "0.5", "--guidance", "2", "--steps", "20", "--seed", "3", "--batch", "2",
            "--python", python, "--worker-script", PeerPython.repositoryRoot.appendingPathComponent("Workers/diffusers/sgid_worker.py").path,
        ])
        #expect(run.status == 0, "\(run.errors)")
        let records = try Self.records(directory.path("cache"))
        #expect(records.count == 9)
        #expect(records.allSatisfy { $0.variants.count == 2 && $0.variants.allSatisfy { $0.width == 28 && $0.height == 28 && $0.channels == 1 } })
        let provenance = try #require(try JSONSerialization.jsonObject(with: Data(records[0].meta.provenanceJSON.utf8)) as? [String: Any])
        #expect((provenance["generator"] as? [String: Any])?["pipeline"] as? String == "PixelImg2ImgPipeline (class-conditional SDEdit)")
    }
}
