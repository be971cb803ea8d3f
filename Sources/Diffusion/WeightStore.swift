import Safetensors
import Tensor

/// The tensors of a weights file as the model builder takes them: by name, with the shape the configuration implies,
/// as typed errors naming the tensor; and, at the end, a refusal of tensors the configuration did not use (a file of
/// another architecture).
final class WeightStore {
    let file: SafetensorsFile
    private var used: Set<String> = []

    init(path: String) throws(DiffusionError) {
        do {
            file = try SafetensorsFile(path: path)
        } catch {
            throw DiffusionError(error.kind == .io ? .missingFile : .badWeights, error.description, file: path)
        }
    }

    /// A tensor's values, checked against the expected shape.
    func values(_ name: String, _ shape: [Int]) throws(DiffusionError) -> [Float] {
        used.insert(name)
        do {
            return try file.floats(name, shape: shape)
        } catch {
            throw DiffusionError(.badWeights, error.description, file: file.location)
        }
    }

    func has(_ name: String) -> Bool { file.tensors[name] != nil }

    /// A convolution `prefix.weight` / `prefix.bias`.
    func conv(_ prefix: String, in inChannels: Int, out outChannels: Int, kernel: Int, stride: Int = 1,
              padding: Padding) throws(DiffusionError) -> Conv2D {
        let weight = try values(prefix + ".weight", [outChannels, inChannels, kernel, kernel])
        let bias = try values(prefix + ".bias", [outChannels])
        return try wrap { () throws(TensorError) in
            try Conv2D(weight: weight, bias: bias, inChannels: inChannels, outChannels: outChannels, kernelSize: kernel,
                       stride: stride, padding: padding)
        }
    }

    /// A linear layer `prefix.weight` / `prefix.bias`.
    func linear(_ prefix: String, in inFeatures: Int, out outFeatures: Int) throws(DiffusionError) -> Linear {
        let weight = try values(prefix + ".weight", [outFeatures, inFeatures])
        let bias = try values(prefix + ".bias", [outFeatures])
        return try wrap { () throws(TensorError) in try Linear(weight: weight, bias: bias, inFeatures: inFeatures, outFeatures: outFeatures) }
    }

    /// A group norm `prefix.weight` / `prefix.bias`.
    func groupNorm(_ prefix: String, groups: Int, channels: Int, eps: Double) throws(DiffusionError) -> GroupNorm {
        let weight = try values(prefix + ".weight", [channels])
        let bias = try values(prefix + ".bias", [channels])
        return try wrap { () throws(TensorError) in try GroupNorm(groups: groups, channels: channels, eps: Float(eps), weight: weight, bias: bias) }
    }

    func wrap<T>(_ build: () throws(TensorError) -> T) throws(DiffusionError) -> T {
        do {
            return try build()
        } catch {
            throw DiffusionError(.badWeights, error.description, file: file.location)
        }
    }

    /// Refuses tensors nobody asked for.
    func refuseUnused() throws(DiffusionError) {
        let unused = file.names.filter { !used.contains($0) }
        guard unused.isEmpty else {
            throw DiffusionError(.badWeights, "\(unused.count) tensor(s) the configuration does not use, e.g. '\(unused[0])': "
                                 + "the weights belong to another architecture", file: file.location)
        }
    }
}
