import Diffusion
import Foundation
import Safetensors
import Tensor
import Testing
import TestSupport

/// The native runtime against live diffusers (`Tests/Peers/diffusers_parity.py`, heavy environment): randomly
/// initialised `UNet2DModel`s saved with `save_pretrained` and run on the same inputs, then whole img2img
/// trajectories with diffusers' own schedulers fed the same noise.
///
/// Tolerances. UNet outputs: max |Δ| ≤ 1e-4 · max(1, max |output|). Both sides compute in Float32 with different
/// summation orders (oneDNN's convolutions against our direct kernels, our GroupNorm statistics in double,
/// different exp/sin implementations); through ~30 layers those differences stay near 1e-6 relative, so 1e-4 leaves
/// room without hiding a wrong layer (a wrong weight, order or epsilon moves outputs by 1e-2 or more). Trajectories:
/// ≥ 99.9 % of the final 8-bit pixels equal and none more than 1 level apart (a pixel whose value lands within the
/// float noise of a rounding boundary may round the other way).
@Suite("Native diffusion runtime vs live diffusers", .serialized)
struct DiffusersParityTests {
    static let directory: TemporaryDirectory? = try? TemporaryDirectory()

    struct Case: Decodable {
        let name: String
        let folder: String
        let parameters: Int
    }

    struct Trajectory: Decodable {
        let name: String
        let folder: String
    }

    struct Settings: Decodable {
        let scheduler: String
        let steps: Int
        let strength: Double
        let guidance: Double
        let labels: [Int]
        // swiftlint:disable:next identifier_name
        let null_class: Int
        let model: String
        let timesteps: [Int]
    }

    static func peer<T: Decodable>(_ command: String, _ type: T.Type) throws -> T {
        guard let python = PeerPython.heavyInterpreter else {
            throw PeerPython.Failure(description: "the heavy environment (torch, diffusers) is missing: run scripts/setup-heavy.sh")
        }
        let root = try #require(directory).path(command)
        let script = PeerPython.repositoryRoot.appendingPathComponent("Tests/Peers/diffusers_parity.py").path
        let output = try PeerPython.runProcess(python, [script, command, root])
        let last = String(decoding: output, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return try JSONDecoder().decode(T.self, from: Data(last.utf8))
    }

    /// A channels-first batch item of a tensor as a channels-last map.
    static func map(_ values: [Float], item: Int, channels: Int, height: Int, width: Int) -> FeatureMap {
        let map = FeatureMap(height: height, width: width, channels: channels)
        values.withUnsafeBufferPointer { map.copy(fromChannelsFirst: $0.baseAddress! + item * channels * height * width) }
        return map
    }

    @Test func unetOutputsMatchDiffusers() throws {
        struct Manifest: Decodable { let cases: [Case] }
        let cases = try Self.peer("unet", Manifest.self).cases
        #expect(cases.count == 4)
        var checked = 0
        for entry in cases {
            let model = try UNet2DModel(folder: entry.folder)
            let io = try SafetensorsFile(path: entry.folder + "/io.safetensors")
            let shape = try #require(io.tensors["sample"]?.shape)
            let (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
            let samples = try io.floats("sample"), timesteps = try io.floats("timesteps"), expected = try io.floats("output")
            let labels = io.tensors["class_labels"] == nil ? nil : try io.floats("class_labels")
            let executor = try model.executor(height: height, width: width)
            let outChannels = model.config.outChannels
            let scale = max(1, expected.map(abs).max() ?? 0)
            var worst: Float = 0
            for item in 0..<batch {
                let output = executor.predict(Self.map(samples, item: item, channels: channels, height: height, width: width),
                                              timestep: timesteps[item], classLabel: labels.map { Int($0[item]) })
                let want = Self.map(expected, item: item, channels: outChannels, height: height, width: width)
                for index in 0..<want.count { worst = max(worst, abs(output.values[index] - want.values[index])) }
                checked += 1
            }
            #expect(worst <= 1e-4 * scale, "\(entry.name): max |Δ| \(worst) > \(1e-4 * scale)")
            print("unet parity \(entry.name) (\(entry.parameters) parameters, \(width)×\(height)×\(channels)): "
                  + "max |Δ| \(worst) over \(batch) inputs (tolerance \(1e-4 * scale))")
        }
        #expect(checked == 12)
    }

    /// Noise recorded by the peer: stream 0 the initial noise, stream s + 1 DDPM's noise of step s.
    struct RecordedNoise: NoiseSource {
        let streams: [Int: [Float]]

        mutating func fill(stream: Int, _ output: UnsafeMutablePointer<Float>, count: Int) {
            guard let values = streams[stream], values.count == count else {
                Issue.record("no recorded noise for stream \(stream)")
                output.update(repeating: 0, count: count)
                return
            }
            values.withUnsafeBufferPointer { output.update(from: $0.baseAddress!, count: count) }
        }
    }

    @Test func img2imgTrajectoriesMatchDiffusers() throws {
        struct Manifest: Decodable { let trajectories: [Trajectory] }
        let trajectories = try Self.peer("img2img", Manifest.self).trajectories
        #expect(trajectories.count == 9)
        var totalPixels = 0, totalEqual = 0
        for entry in trajectories {
            let settings = try JSONDecoder().decode(Settings.self, from: Data(contentsOf: URL(fileURLWithPath: entry.folder + "/trajectory.json")))
            let model = try UNet2DModel(folder: settings.model)
            let scheduler = try Scheduler(file: entry.folder + "/scheduler/scheduler_config.json")
            let runner = Img2Img(model: model, scheduler: scheduler)
            #expect(try runner.timesteps(steps: settings.steps, strength: settings.strength) == settings.timesteps, "\(entry.name)")
            let file = try SafetensorsFile(path: entry.folder + "/trajectory.safetensors")
            let shape = try #require(file.tensors["source"]?.shape)
            let (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
            let sources = try file.floats("source"), noise = try file.floats("noise"), expected = try file.floats("output")
            let executor = try model.executor(height: height, width: width)
            let plane = channels * height * width
            var equal = 0, worst = 0
            for item in 0..<batch {
                var streams: [Int: [Float]] = [0: Self.map(noise, item: item, channels: channels, height: height, width: width).array]
                for name in file.names where name.hasPrefix("step_noise_") {
                    let step = Int(name.dropFirst("step_noise_".count))!
                    streams[step + 1] = Self.map(try file.floats(name), item: item, channels: channels, height: height, width: width).array
                }
                var recorded = RecordedNoise(streams: streams)
                let source = FeatureMap(height: height, width: width, channels: channels)
                let bytes = Self.map(sources, item: item, channels: channels, height: height, width: width).array.map { UInt8($0) }
                PixelSpace.normalize(bytes, into: source)
                let output = FeatureMap(height: height, width: width, channels: channels)
                try runner.generate(source: source, classLabel: settings.labels[item], nullClass: settings.null_class,
                                    guidance: Float(settings.guidance), steps: settings.steps, strength: settings.strength,
                                    noise: &recorded, executor: executor, output: output)
                let ours = PixelSpace.pixels(output)
                let theirs = Self.map(expected, item: item, channels: channels, height: height, width: width).array.map { Int($0) }
                for (a, b) in zip(ours, theirs) {
                    if Int(a) == b { equal += 1 }
                    worst = max(worst, abs(Int(a) - b))
                }
            }
            let pixels = batch * plane
            #expect(Double(equal) >= 0.999 * Double(pixels) && worst <= 1, "\(entry.name): \(equal)/\(pixels) equal, max diff \(worst)")
            print("img2img parity \(entry.name) (\(settings.scheduler), \(settings.steps) steps × strength \(settings.strength), "
                  + "guidance \(settings.guidance)): \(equal)/\(pixels) pixels equal, max difference \(worst)")
            totalPixels += pixels
            totalEqual += equal
        }
        print("img2img parity: \(totalEqual)/\(totalPixels) pixels equal over \(trajectories.count) trajectories")
    }
}
