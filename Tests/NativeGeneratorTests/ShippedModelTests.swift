import Foundation
import Testing
import TestSupport

/// The shipped Fashion-MNIST generator (Models/fashion-mnist-ddpm) end to end with no Python: 3 images per class
/// from train[50000:60000] (never seen by the generator or its scorer), K = 2 variants at the experiment's strength
/// 0.5 (DDIM, 50-step schedule, guidance 2), then the class-consistency rate by the shipped scorer. The model card
/// measures 91.6 % on 800 variants; the floor, 80 %, leaves 3 standard errors of 60 variants at that rate (3.6 points
/// each), so the test fails only for a broken model, scorer or runtime (pure noise scores 10 %).
@Suite("Shipped Fashion-MNIST model", .serialized)
struct ShippedModelTests {
    static let model = PeerPython.repositoryRoot.appendingPathComponent("Models/fashion-mnist-ddpm").path
    /// The card's class-consistency rate at strength 0.5, and the floor this test holds it to.
    static let cardRate = 0.916
    static let floor = 0.80

    struct Row: Decodable {
        let consistencyRate: Double
        let variants: Int
        let meanLabelProbability: Double
    }

    @Test func nativePrecomputeGivesClassConsistentVariants() throws {
        let directory = try TemporaryDirectory()
        let environment = ["PATH": "/nonexistent", "HOME": directory.path("home"), "SGID_WORKER_PYTHON": "/nonexistent/python"]
        func sgid(_ arguments: [String]) throws -> ProgramRun {
            try ProgramRun.run("/usr/bin/env", ["-i"] + environment.map { "\($0.key)=\($0.value)" } + [BuiltProducts.path("sgid")] + arguments)
        }
        let imported = try sgid(["datasets", "import", "fashion-mnist", "--out", directory.path("images"), "--range", "50000:60000",
                                 "--per-class", "3", "--seed", "4"])
        #expect(imported.status == 0, "\(imported.errors)")
        let run = try sgid(["precompute", directory.path("images"), "--cache", directory.path("cache"), "--generator", "native",
                            "--model", Self.model, "--variants", "2", "--strength", "0.5", "--guidance", "2", "--steps", "50",
                            "--seed", "0", "--threads", "2"])
        #expect(run.status == 0 && run.output.contains("30 generated"), "\(run.output)\n\(run.errors)")
        let report = try sgid(["cache", "consistency", directory.path("images"), "--cache", directory.path("cache"),
                               "--scorer", Self.model + "/scorer", "--json", directory.path("consistency.json")])
        #expect(report.status == 0, "\(report.errors)")
        let rows = try JSONDecoder().decode([Row].self, from: Data(contentsOf: URL(fileURLWithPath: directory.path("consistency.json"))))
        let row = try #require(rows.first)
        print("shipped model: class-consistency \(row.consistencyRate) over \(row.variants) variants (card \(Self.cardRate))")
        #expect(row.variants == 60)
        #expect(row.consistencyRate >= Self.floor, "class-consistency \(row.consistencyRate) under the floor \(Self.floor)")
    }
}
