import CacheShard
import GenerationCache
import Foundation
import ImageCodec
import NativeGenerator
import SGID
import Testing
import TestSupport
import Training

/// The native consistency scorer (a model folder's `scorer/` classifier) and what precompute does with it:
/// `--min-score` regenerates and drops, `--guidance-range` sets each image's guidance from its source's score.
/// The scorer here is a hand-set "brightness" classifier (global average pooling, then a linear layer whose class c
/// weight grows with c), so every score has a closed form to check against.
@Suite("Native consistency scorer", .serialized)
struct ClassifierScorerTests {
    static let classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    static func weight(_ c: Int) -> Float { Float(c) * 0.8 - 3.6 }

    /// Writes the brightness classifier to `folder`.
    static func writeBrightnessScorer(to folder: String) throws {
        let architecture = ClassifierArchitecture(inputChannels: 1, height: 28, width: 28,
                                                  layers: [.globalAveragePool, .linear(outFeatures: 10)])
        let classifier = try Classifier(architecture: architecture, classNames: classes)
        classifier.parameters[0].setTorchValues((0..<10).map(weight))
        classifier.parameters[1].setTorchValues([Float](repeating: 0, count: 10))
        try classifier.save(to: folder)
    }

    /// The closed form: softmax over c of weight(c) · normalised mean brightness.
    static func expectedScore(_ image: Image, label: Int) -> Double {
        let scale = 1 / (255 * Float(0.353)), offset = -Float(0.286) / Float(0.353)
        let mean = image.pixels.reduce(0.0) { $0 + Double(Float($1) * scale + offset) } / Double(image.pixels.count)
        let logits = (0..<10).map { Double(weight($0)) * mean }
        let largest = logits.max()!
        return exp(logits[label] - largest) / logits.reduce(0) { $0 + exp($1 - largest) }
    }

    /// A copy of the test model folder with the brightness scorer in `scorer/`.
    static func modelWithScorer(_ directory: TemporaryDirectory) throws -> String {
        let model = directory.path("model")
        try FileManager.default.copyItem(atPath: try NativeGeneratorTests.model(), toPath: model)
        try writeBrightnessScorer(to: model + "/scorer")
        return model
    }

    static func constant(_ value: UInt8) -> Image {
        Image(width: 28, height: 28, channels: 1, pixels: [UInt8](repeating: value, count: 28 * 28))
    }

    @Test func aScoreIsTheProbabilityOfTheLabel() throws {
        let directory = try TemporaryDirectory()
        try Self.writeBrightnessScorer(to: directory.path("scorer"))
        let scorer = try ClassifierScorer(folder: directory.path("scorer"), threads: 2)
        var requests: [ScoreRequest] = []
        for (index, value) in [0, 40, 128, 200, 255].enumerated() {
            for label in ["T-shirt/top", "T-shirt_top", "Bag", "9"] {
                requests.append(ScoreRequest(key: "\(index)", image: Self.constant(UInt8(value)), label: label, labelPrompt: ""))
            }
        }
        requests.append(ScoreRequest(key: "photo", image: NativeGeneratorTests.photo(3), label: "Coat", labelPrompt: ""))
        requests.append(ScoreRequest(key: "rgb", image: NativeGeneratorTests.photo(3, channels: 3), label: "Coat", labelPrompt: ""))
        requests.append(ScoreRequest(key: "bad", image: Self.constant(9), label: "Giraffe", labelPrompt: ""))
        let scores = try scorer.score(requests)
        for (request, score) in zip(requests, scores).dropLast(2) {
            let label = try #require(scorer.classIndex(of: request.label))
            let expected = Self.expectedScore(request.image, label: label)
            #expect(abs(try score.get() - expected) <= 1e-5, "\(request.key) \(request.label): \(score) vs \(expected)")
        }
        // A colour image is converted as Pillow's convert('L') first.
        let luminance = NativeGeneratorTests.photo(3, channels: 3).luminance()
        #expect(abs(try scores[scores.count - 2].get() - Self.expectedScore(luminance, label: 4)) <= 1e-5)
        guard case .failure(let error) = scores.last! else { Issue.record("an unknown label scored"); return }
        #expect(error.key == "bad" && error.message.contains("Giraffe") && error.message.contains("Ankle boot"))
        // Dark images favour the low classes, bright ones the high classes.
        #expect(try scores[0].get() > scores[3].get() && scores[19].get() > scores[16].get())
        // The same requests give the same scores, whatever the threads.
        let single = try ClassifierScorer(folder: directory.path("scorer"), threads: 1).score(requests)
        #expect(zip(single, scores).allSatisfy { (try? $0.get()) == (try? $1.get()) })
    }

    @Test func aFolderWithoutClassNamesOrWeightsIsRefused() throws {
        let directory = try TemporaryDirectory()
        let unnamed = try Classifier(architecture: ClassifierArchitecture(inputChannels: 1, height: 28, width: 28,
                                                                          layers: [.globalAveragePool, .linear(outFeatures: 10)]))
        try unnamed.save(to: directory.path("unnamed"))
        #expect { try ClassifierScorer(folder: directory.path("unnamed")) } throws: { ($0 as? GeneratorError)?.message.contains("class names") == true }
        try Self.writeBrightnessScorer(to: directory.path("broken"))
        try FileManager.default.removeItem(atPath: directory.path("broken/model.safetensors"))
        #expect { try ClassifierScorer(folder: directory.path("broken")) } throws: { ($0 as? GeneratorError)?.message.contains("model.safetensors") == true }
    }

    static func precompute(_ images: String, model: String, cache: String, _ extra: [String]) throws -> ProgramRun {
        try ProgramRun.run(BuiltProducts.path("sgid"), [
            "precompute", images, "--cache", cache, "--generator", "native", "--model", model, "--variants", "3", "--strength", "0.6",
            "--guidance", "2", "--steps", "10", "--seed", "5", "--threads", "2",
        ] + extra)
    }

    @Test func precomputeScoresEveryVariantAndMinScoreRegeneratesThenDrops() throws {
        let directory = try TemporaryDirectory()
        let images = try NativeGeneratorTests.imageFolder(directory), model = try Self.modelWithScorer(directory)
        let scorer = try ClassifierScorer(folder: model + "/scorer")
        // Unfiltered: every variant carries the scorer's score of its own pixels.
        let plain = try Self.precompute(images, model: model, cache: directory.path("plain"), [])
        #expect(plain.status == 0, "\(plain.errors)")
        var scores: [Double] = []
        for record in try NativeGeneratorTests.records(directory.path("plain")) {
            #expect(record.variants.count == 3)
            let label = String(record.meta.key.split(separator: "/")[0])
            for variant in record.variants {
                let image = try CacheStore.decode(variant, location: record.meta.key)
                let expected = try scorer.score([ScoreRequest(key: "", image: image, label: label, labelPrompt: "")])[0].get()
                let stored = try #require(variant.score)
                #expect(abs(Double(stored) - expected) <= 1e-6, "\(record.meta.key): stored \(stored), scored \(expected)")
                scores.append(Double(stored))
            }
        }
        // A threshold at the median: variants under it are regenerated (with the retry seeds), then dropped.
        let threshold = scores.sorted()[scores.count / 2]
        let filtered = try Self.precompute(images, model: model, cache: directory.path("filtered"),
                                           ["--min-score", String(threshold), "--max-retries", "1"])
        #expect(filtered.status == 0, "\(filtered.errors)")
        var retried = 0, dropped = 0
        for record in try NativeGeneratorTests.records(directory.path("filtered")) {
            #expect(record.variants.allSatisfy { ($0.score ?? -1) >= Float(threshold) })
            let provenance = try #require(try JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8)) as? [String: Any])
            let entries = try #require(provenance["variants"] as? [[String: Any]])
            retried += entries.filter { ($0["attempts"] as? Int ?? 1) > 1 }.count
            dropped += entries.filter { $0["dropped"] as? Bool == true }.count
            for entry in entries where (entry["attempts"] as? Int ?? 1) > 1 {
                let requested = try #require(entry["requested_seed"] as? UInt64), seed = try #require(entry["seed"] as? UInt64)
                #expect(seed == ConsistencyPolicy.seed(requested, attempt: 1))
            }
        }
        #expect(retried > 0, "some variants under the median were regenerated")
        #expect(filtered.output.contains("dropped") || dropped == 0, "\(filtered.output)")
    }

    @Test func guidanceRangeFollowsTheSourceScore() throws {
        let directory = try TemporaryDirectory()
        let images = try NativeGeneratorTests.imageFolder(directory), model = try Self.modelWithScorer(directory)
        let scorer = try ClassifierScorer(folder: model + "/scorer")
        let run = try Self.precompute(images, model: model, cache: directory.path("cache"), ["--guidance-range", "1:5"])
        #expect(run.status == 0, "\(run.errors)")
        var guidances = Set<Double>()
        for record in try NativeGeneratorTests.records(directory.path("cache")) {
            let label = String(record.meta.key.split(separator: "/")[0])
            let source = try ImageDecoder.decode(Array(try Data(contentsOf: URL(fileURLWithPath: "\(images)/\(record.meta.key)"))), options: DecodeOptions(mode: .gray))
            let similarity = try scorer.score([ScoreRequest(key: "", image: source, label: label, labelPrompt: "")])[0].get()
            let provenance = try #require(try JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8)) as? [String: Any])
            #expect(abs((provenance["similarity"] as? Double ?? -1) - similarity) <= 1e-9)
            let entries = try #require(provenance["variants"] as? [[String: Any]])
            for entry in entries {
                let guidance = try #require(entry["guidance"] as? Double)
                #expect(abs(guidance - (1 + 4 * (1 - similarity))) <= 1e-9, "\(record.meta.key)")
                guidances.insert(guidance)
            }
        }
        #expect(guidances.count > 1, "sources of different brightness get different guidance")
        // `cache inspect` reports the guidance used (issue 15), not only the nominal 2: the range and a histogram
        // counting every variant.
        var all: [Double] = []
        for record in try NativeGeneratorTests.records(directory.path("cache")) {
            let provenance = try #require(try JSONSerialization.jsonObject(with: Data(record.meta.provenanceJSON.utf8)) as? [String: Any])
            all += try #require(provenance["variants"] as? [[String: Any]]).compactMap { $0["guidance"] as? Double }
        }
        let inspect = try ProgramRun.run(BuiltProducts.path("sgid"), ["cache", "inspect", directory.path("cache"), "--json"])
        #expect(inspect.status == 0, "\(inspect.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(inspect.output.utf8)) as? [String: Any])
        let used = try #require(object["guidance_used"] as? [String: Any])
        #expect(used["count"] as? Int == all.count && used["min"] as? Double == all.min() && used["max"] as? Double == all.max())
        let bins = try #require(used["histogram"] as? [[String: Any]])
        #expect(bins.count == 8 && bins.compactMap { $0["count"] as? Int }.reduce(0, +) == all.count)
        let text = try ProgramRun.run(BuiltProducts.path("sgid"), ["cache", "inspect", directory.path("cache")])
        #expect(text.output.contains("guidance used: ") && text.output.contains("guidance (nominal): 2"), "\(text.output)")
    }
}
