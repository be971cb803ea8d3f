import Foundation
import Safetensors

/// What `config.json` of a classifier folder holds.
struct ClassifierConfiguration: Codable, Sendable {
    /// Always "sgidkit-classifier".
    var format: String
    /// The folder layout's version (1).
    var version: Int
    var architecture: ClassifierArchitecture
    var normalization: InputNormalization
    var classes: [String]
}

extension Classifier {
    /// The folder format's name in `config.json`.
    public static let folderFormat = "sgidkit-classifier"

    /// Writes the classifier to a folder: `config.json` (architecture, normalisation, class names) and
    /// `model.safetensors` (F32, PyTorch's names and shapes, loadable by the PyTorch twin's `load_state_dict`).
    /// - Parameters:
    ///   - folder: The folder (created when missing).
    ///   - metadata: Extra string metadata for the safetensors header (training settings, data).
    /// - Throws: `.writeFailed` naming the file.
    public func save(to folder: String, metadata: [String: String] = [:]) throws(TrainingError) {
        let configuration = ClassifierConfiguration(format: Self.folderFormat, version: 1, architecture: architecture,
                                                    normalization: normalization, classes: classNames)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(configuration).write(to: URL(fileURLWithPath: folder + "/config.json"), options: .atomic)
        } catch {
            throw TrainingError(.writeFailed, "\(folder)/config.json: \(error.localizedDescription)")
        }
        let tensors = parameters.map { SafetensorsWriter.Tensor(name: $0.name, shape: $0.shape, values: $0.torchValues) }
        do {
            try SafetensorsWriter.write(tensors, metadata: metadata, to: folder + "/model.safetensors")
        } catch {
            throw TrainingError(.writeFailed, error.description)
        }
    }

    /// Reads a classifier folder written by `save(to:)` (or by the PyTorch twin's exporter).
    /// - Parameter folder: The folder.
    /// - Throws: `.invalidModel` naming the file and tensor (missing, misshapen, unexpected), `.invalidArchitecture`.
    public convenience init(folder: String) throws(TrainingError) {
        let configPath = folder + "/config.json"
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw TrainingError(.invalidModel, "\(configPath) is missing or unreadable")
        }
        let configuration: ClassifierConfiguration
        do {
            configuration = try JSONDecoder().decode(ClassifierConfiguration.self, from: data)
        } catch {
            throw TrainingError(.invalidModel, "\(configPath) is not a classifier configuration: \(error)")
        }
        guard configuration.format == Self.folderFormat, configuration.version == 1 else {
            throw TrainingError(.invalidModel, "\(configPath): format \(configuration.format) version \(configuration.version), expected \(Self.folderFormat) 1")
        }
        try self.init(architecture: configuration.architecture, normalization: configuration.normalization,
                      classNames: configuration.classes)
        let weightsPath = folder + "/model.safetensors"
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: weightsPath) } catch { throw TrainingError(.invalidModel, error.description) }
        let expected = Set(parameters.map(\.name))
        if let extra = file.names.first(where: { !expected.contains($0) }) {
            throw TrainingError(.invalidModel, "\(weightsPath): unexpected tensor \(extra) for this architecture")
        }
        for parameter in parameters {
            guard file.tensors[parameter.name] != nil else {
                throw TrainingError(.invalidModel, "\(weightsPath): tensor \(parameter.name) is missing")
            }
            do {
                parameter.setTorchValues(try file.floats(parameter.name, shape: parameter.shape))
            } catch {
                throw TrainingError(.invalidModel, error.description)
            }
        }
    }
}
