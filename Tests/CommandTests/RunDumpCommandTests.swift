import Foundation
import ImageCodec
import Testing
import TestSupport

/// `sgid run --dump` writes next to each image what training sees for it: the hard label, or with `--mixup` the
/// soft-target row timm's `Mixup` gives (λ·onehot(y) + (1 − λ)·onehot(y_partner), label-smoothed), which must be the
/// batch's own targets — checked bit for bit against `--digest`, which hashes the batch's targets, images, labels and
/// keys.
@Suite("sgid run --dump: labels and Mixup targets")
struct RunDumpCommandTests {
    let sgid = BuiltProducts.path("sgid")

    struct Dumped: Decodable {
        let key: String
        let label: Int?
        let `class`: String?
        let target: [Double]?
        let lambda: Double?
        let partner: Int?
        let partner_label: Int?
        let box: Box?
    }

    struct Box: Decodable { let top, bottom, left, right: Int }

    /// The dumped files of slot 0..<count: decoded target file and image.
    static func read(_ folder: String, count: Int) throws -> [(Dumped, Image)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        return try (0..<count).map { slot in
            let image = try #require(names.first { $0.hasPrefix("\(slot)-") && $0.hasSuffix(".png") })
            let target = String(image.dropLast(4)) + ".target.json"
            #expect(names.contains(target))
            let dumped = try JSONDecoder().decode(Dumped.self, from: Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(target)")))
            return (dumped, try AugmentCommandTests.read("\(folder)/\(image)"))
        }
    }

    /// `BatchDigest` of one batch with targets, recomputed: FNV-1a over the targets' bits, the images, labels, keys.
    static func digest(_ dumped: [(Dumped, Image)]) -> String {
        var state: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ bytes: [UInt8]) { for byte in bytes { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 } }
        for (file, _) in dumped { for value in file.target ?? [] { mix(withUnsafeBytes(of: Float(value).bitPattern.littleEndian, Array.init)) } }
        for (_, image) in dumped { mix(image.pixels) }
        for (file, _) in dumped { mix(withUnsafeBytes(of: Int32(file.label ?? -1).littleEndian, Array.init)) }
        for (file, _) in dumped { mix(Array(file.key.utf8)) }
        return String(state, radix: 16)
    }

    @Test(arguments: ["mixup(mixup_alpha=0.8, num_classes=3)", "mixup(mixup_alpha=0.8, cutmix_alpha=1, switch_prob=1, num_classes=3, label_smoothing=0.2)"])
    func mixupTargetsSumToOneAndAreTheBatchs(spec: String) throws {
        let directory = try TemporaryDirectory()
        let images = try RunResumeCommandTests.imageFolder(directory, perClass: 2)
        let run = try ProgramRun.run(sgid, ["run", images, "--pipeline", "center_crop(size=32)", "--batch-size", "4", "--limit", "1",
                                            "--seed", "3", "--mixup", spec, "--dump", directory.path("dump"), "--digest"])
        #expect(run.status == 0, "\(run.errors)")
        let dumped = try Self.read(directory.path("dump/epoch-0"), count: 4)
        let smoothing = spec.contains("label_smoothing=0.2") ? 0.2 : 0.1
        let off = smoothing / 3, on = 1 - smoothing + smoothing / 3
        for (slot, (file, image)) in dumped.enumerated() {
            #expect(image.width == 32 && image.height == 32)
            let target = try #require(file.target), lambda = try #require(file.lambda), label = try #require(file.label)
            #expect(file.partner == 3 - slot && file.partner_label == dumped[3 - slot].0.label)
            #expect(file.class == ["ant", "bee", "cat"][label])
            // CutMix (switch_prob 1) pastes a box and λ is the share left (correct_lam); Mixup has none.
            if spec.contains("cutmix"), let box = file.box {
                #expect(abs(lambda - (1 - Double((box.bottom - box.top) * (box.right - box.left)) / (32 * 32))) < 1e-9)
            }
            #expect(abs(target.reduce(0, +) - 1) < 1e-5, "\(target)")
            for column in 0..<3 {
                let expected = lambda * (column == label ? on : off) + (1 - lambda) * (column == file.partner_label ? on : off)
                #expect(abs(target[column] - expected) < 1e-6, "slot \(slot) class \(column): \(target[column]) vs \(expected)")
            }
        }
        #expect(dumped.contains { $0.0.lambda != 1 }, "nothing was mixed")
        #expect(dumped.allSatisfy { ($0.0.box != nil) == spec.contains("cutmix") }, "boxes only for CutMix")
        #expect(run.output.contains("digest \(Self.digest(dumped))"), "\(run.output)")
    }

    @Test func withoutMixupTheHardLabelIsWritten() throws {
        let directory = try TemporaryDirectory()
        let images = try RunResumeCommandTests.imageFolder(directory, perClass: 2)
        let run = try ProgramRun.run(sgid, ["run", images, "--pipeline", "center_crop(size=32)", "--batch-size", "3", "--limit", "1",
                                            "--dump", directory.path("dump"), "--digest"])
        #expect(run.status == 0, "\(run.errors)")
        let dumped = try Self.read(directory.path("dump/epoch-0"), count: 3)
        for (file, _) in dumped {
            let label = try #require(file.label)
            #expect(file.class == ["ant", "bee", "cat"][label] && file.key.hasPrefix(file.class! + "/"))
            #expect(file.target == nil && file.lambda == nil)
        }
        #expect(run.output.contains("digest \(Self.digest(dumped))"), "\(run.output)")
    }
}
