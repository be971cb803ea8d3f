import Foundation
import Testing
import TestSupport

/// `sgid train` and `sgid evaluate` on real Fashion-MNIST images: a model trained on shards (labels in the dataset's
/// order) evaluates the same images stored as an ImageFolder (classes sorted by directory name, `T-shirt/top` stored as
/// `T-shirt_top`) identically, because `evaluate` matches classes by name.
@Suite("sgid train and evaluate")
struct TrainCommandTests {
    let sgid = BuiltProducts.path("sgid")

    struct Evaluation: Decodable, Equatable {
        let accuracy: Double
        let correct: Int
        let count: Int
        let perClass: [[Int]]
    }

    @Test func evaluateMatchesClassesByNameAcrossFormats() throws {
        let directory = try TemporaryDirectory(prefix: "sgid-train")
        func sgid(_ arguments: [String]) throws -> ProgramRun {
            let run = try ProgramRun.run(self.sgid, arguments)
            #expect(run.status == 0, "sgid \(arguments.joined(separator: " ")):\n\(run.output)\n\(run.errors)")
            return run
        }
        _ = try sgid(["datasets", "import", "fashion-mnist", "--out", directory.path("train"), "--range", "50000:60000",
                      "--per-class", "20", "--seed", "0", "--format", "shards"])
        for format in ["shards", "imagefolder"] {
            _ = try sgid(["datasets", "import", "fashion-mnist", "--split", "test", "--out", directory.path("test-\(format)"),
                          "--range", "0:500", "--format", format])
        }
        _ = try sgid(["train", directory.path("train") + "/shard-000000.tar", "--epochs", "12", "--seed", "1", "--threads", "2",
                      "--out", directory.path("model"), "--quiet"])
        let onShards = try JSONDecoder().decode(Evaluation.self, from: Data(sgid([
            "evaluate", directory.path("model"), directory.path("test-shards") + "/shard-000000.tar", "--json"]).output.utf8))
        let onFolder = try JSONDecoder().decode(Evaluation.self, from: Data(sgid([
            "evaluate", directory.path("model"), directory.path("test-imagefolder"), "--json"]).output.utf8))
        #expect(onShards.count == 500 && onShards.perClass.count == 10)
        #expect(onShards == onFolder, "the same images score the same in either format: \(onShards) vs \(onFolder)")
        #expect(onShards.accuracy > 0.3, "200 images and 12 epochs learn something (chance is 10 %): \(onShards.accuracy)")
        let text = try sgid(["evaluate", directory.path("model"), directory.path("test-imagefolder")]).output
        #expect(text.contains("T-shirt/top: ") && text.contains("accuracy "), "\(text)")

        // A class the model does not know is refused by name.
        try FileManager.default.moveItem(atPath: directory.path("test-imagefolder") + "/Bag", toPath: directory.path("test-imagefolder") + "/Purse")
        let unknown = try ProgramRun.run(self.sgid, ["evaluate", directory.path("model"), directory.path("test-imagefolder")])
        #expect(unknown.status != 0 && unknown.errors.contains("the dataset's class 'Purse' is not one of the model's"), "\(unknown.errors)")
    }
}
