import Diffusion
import Foundation
import Safetensors
import Tensor
import Testing
import TestSupport

/// Bad model folders and impossible requests give typed errors naming the file and the key or tensor; nothing is
/// built from a folder the runtime does not fully understand.
@Suite("Native runtime: bad model folders and requests", .serialized)
struct ModelFolderErrorTests {
    /// A valid folder of the shipped architecture, made by the diffusers peer, copied for each mutation.
    static let original: String? = {
        guard let python = PeerPython.heavyInterpreter, let directory = try? TemporaryDirectory() else { return nil }
        let script = PeerPython.repositoryRoot.appendingPathComponent("Tests/Peers/diffusers_parity.py").path
        guard (try? PeerPython.runProcess(python, [script, "unet", directory.path("unet")])) != nil else { return nil }
        retained.append(directory)
        return directory.path("unet/fashion")
    }()
    nonisolated(unsafe) static var retained: [TemporaryDirectory] = []

    static func copy(into directory: TemporaryDirectory) throws -> String {
        let source = try #require(original, "the diffusers peer did not run (heavy environment missing?)")
        let target = directory.path("model")
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return target
    }

    static func error(_ folder: String) -> DiffusionError? {
        do {
            _ = try UNet2DModel(folder: folder)
            return nil
        } catch {
            return error
        }
    }

    static func editConfig(_ folder: String, _ edit: (inout [String: Any]) -> Void) throws {
        let path = folder + "/config.json"
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    static func rewriteWeights(_ folder: String, _ edit: (inout [SafetensorsWriter.Tensor]) -> Void) throws {
        let path = folder + "/diffusion_pytorch_model.safetensors"
        let file = try SafetensorsFile(path: path)
        var tensors = try file.names.map { SafetensorsWriter.Tensor(name: $0, shape: file.tensors[$0]!.shape, values: try file.floats($0)) }
        edit(&tensors)
        try SafetensorsWriter.write(tensors, to: path)
    }

    @Test func theValidFolderLoads() throws {
        let directory = try TemporaryDirectory()
        let model = try UNet2DModel(folder: try Self.copy(into: directory))
        #expect(model.config.blockOutChannels == [16, 32, 32] && model.config.numClassEmbeds == 11)
        #expect(model.multiplyAdds(height: 32, width: 32) == 61_243_392)  // the convolution and attention multiply-adds torch hooks count
    }

    @Test func configProblemsNameTheFileAndKey() throws {
        let cases: [(String, (inout [String: Any]) -> Void, DiffusionError.Kind, String)] = [
            ("unsupported activation", { $0["act_fn"] = "gelu" }, .unsupported, "'act_fn' = gelu"),
            ("unknown key", { $0["frobnicate"] = 3 }, .unsupported, "unknown key 'frobnicate'"),
            ("unsupported block", { $0["down_block_types"] = ["CrossAttnDownBlock2D", "DownBlock2D", "DownBlock2D"] }, .unsupported,
             "CrossAttnDownBlock2D"),
            ("fourier time embedding", { $0["time_embedding_type"] = "fourier" }, .unsupported, "'time_embedding_type'"),
            ("class embedding type", { $0["class_embed_type"] = "timestep" }, .unsupported, "'class_embed_type'"),
            ("wrong type", { $0["layers_per_block"] = "one" }, .badConfig, "'layers_per_block' must be an integer"),
            ("boolean for an integer", { $0["in_channels"] = true }, .badConfig, "'in_channels' must be an integer"),
            ("groups that do not divide", { $0["norm_num_groups"] = 5 }, .badConfig, "multiple of norm_num_groups"),
            ("mismatched block lists", { $0["up_block_types"] = ["UpBlock2D", "UpBlock2D"] }, .badConfig, "same, non-zero length"),
            ("another class", { $0["_class_name"] = "UNet2DConditionModel" }, .unsupported, "not a UNet2DModel"),
        ]
        for (name, edit, kind, fragment) in cases {
            let directory = try TemporaryDirectory()
            let folder = try Self.copy(into: directory)
            try Self.editConfig(folder, edit)
            let error = Self.error(folder)
            #expect(error?.kind == kind && error?.description.contains(fragment) == true, "\(name): \(String(describing: error))")
            #expect(error?.file?.hasSuffix("/config.json") == true, "\(name)")
        }
        let directory = try TemporaryDirectory()
        let folder = try Self.copy(into: directory)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: folder + "/config.json"))
        #expect(Self.error(folder)?.kind == .badConfig)
        try FileManager.default.removeItem(atPath: folder + "/config.json")
        #expect(Self.error(folder)?.kind == .missingFile)
    }

    @Test func weightProblemsNameTheTensor() throws {
        let cases: [(String, (inout [SafetensorsWriter.Tensor]) -> Void, String)] = [
            ("missing tensor", { $0.removeAll { $0.name == "mid_block.attentions.0.to_q.weight" } }, "mid_block.attentions.0.to_q.weight"),
            ("wrong shape", { tensors in
                let index = tensors.firstIndex { $0.name == "conv_in.weight" }!
                tensors[index] = .init(name: "conv_in.weight", shape: [16, 1, 3, 1], values: Array(tensors[index].values.prefix(48)))
            }, "conv_in.weight"),
            ("unused tensor", { $0.append(.init(name: "down_blocks.0.attentions.0.to_q.weight", shape: [2], values: [1, 2])) },
             "does not use"),
        ]
        for (name, edit, fragment) in cases {
            let directory = try TemporaryDirectory()
            let folder = try Self.copy(into: directory)
            try Self.rewriteWeights(folder, edit)
            let error = Self.error(folder)
            #expect(error?.kind == .badWeights && error?.description.contains(fragment) == true, "\(name): \(String(describing: error))")
        }
        let directory = try TemporaryDirectory()
        let folder = try Self.copy(into: directory)
        let path = folder + "/diffusion_pytorch_model.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: path))
        let truncated = Self.error(folder)
        #expect(truncated?.kind == .badWeights && truncated?.description.contains("data") == true, "\(String(describing: truncated))")
    }

    @Test func schedulerProblemsAndImpossibleRequestsAreRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("scheduler_config.json")
        func scheduler(_ json: String) -> DiffusionError? {
            try? Data(json.utf8).write(to: URL(fileURLWithPath: path))
            do {
                _ = try Scheduler(file: path)
                return nil
            } catch {
                return error
            }
        }
        #expect(scheduler(#"{"_class_name": "DDIMScheduler", "beta_schedule": "sigmoid"}"#)?.kind == .unsupported)
        #expect(scheduler(#"{"_class_name": "DDIMScheduler", "thresholding": true}"#)?.kind == .unsupported)
        #expect(scheduler(#"{"_class_name": "DDPMScheduler", "variance_type": "learned"}"#)?.kind == .unsupported)
        #expect(scheduler(#"{"_class_name": "PNDMScheduler"}"#)?.kind == .unsupported)
        #expect(scheduler(#"{"_class_name": "DDIMScheduler", "new_option": 1}"#)?.kind == .unsupported)
        #expect(scheduler(#"{"_class_name": "DDIMScheduler", "timestep_spacing": "leading"}"#) == nil)
        let ddim = try Scheduler(file: path)
        // A DDPM configuration run as DDIM takes DDIM's defaults for what it lacks.
        try Data(#"{"_class_name": "DDPMScheduler", "variance_type": "fixed_small", "beta_schedule": "squaredcos_cap_v2"}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(try Scheduler(file: path, as: .ddim).kind == .ddim)
        let model = try UNet2DModel(folder: try Self.copy(into: directory))
        let runner = Img2Img(model: model, scheduler: ddim)
        #expect(throws: DiffusionError.self) { try runner.timesteps(steps: 10, strength: 0.05) }  // int(0.5) = 0 steps
        #expect(throws: DiffusionError.self) { try runner.timesteps(steps: 0, strength: 0.5) }
        #expect(throws: DiffusionError.self) { try runner.timesteps(steps: 10, strength: 1.5) }
        #expect(try runner.timesteps(steps: 10, strength: 0.5).count == 5)
        #expect(throws: DiffusionError.self) { try model.executor(height: 30, width: 32) }
        let executor = try model.executor(height: 32, width: 32)
        var noise = PhiloxNoise(seed: 1)
        let source = FeatureMap(height: 32, width: 32, channels: 1), output = FeatureMap(height: 32, width: 32, channels: 1)
        #expect(throws: DiffusionError.self) {
            try runner.generate(source: source, classLabel: 11, nullClass: 10, guidance: 2, steps: 10, strength: 0.5, noise: &noise,
                                executor: executor, output: output)
        }
    }
}
