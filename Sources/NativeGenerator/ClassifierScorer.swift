import Augment
import Diffusion
import Foundation
import ImageCodec
import SGID
import Training

/// SGID's native consistency scorer: a `Training.Classifier` (a model folder's `scorer/`, trained on the generator's
/// own data split) gives each image the softmax probability of its label — the native analogue of the CLIP score of
/// the diffusers path. Images are brought to the classifier's input as the generator brings sources to its UNet
/// (channels converted, then Pillow-exact bicubic resize when the size differs). Scores of a group of requests are
/// computed together in fixed chunks, so the same group always gets the same scores whatever the thread count.
public final class ClassifierScorer: ConsistencyScorer {
    /// The classifier.
    public let classifier: Classifier
    /// Folder, content digest and what the score means.
    public let scorerIdentity: GeneratorIdentity
    /// Worker threads of a `score` call.
    public let threads: Int
    private let fitting: SourceFitting

    /// Loads a classifier folder (`config.json` + `model.safetensors`, as `sgid train --out` writes).
    /// - Parameters:
    ///   - folder: The folder.
    ///   - threads: Worker threads.
    /// - Throws: `GeneratorError` (`.startFailed`) naming the folder and the problem; a classifier without class names
    ///   cannot map labels and is refused.
    public init(folder: String, threads: Int = 1) throws(GeneratorError) {
        do {
            classifier = try Classifier(folder: folder)
        } catch {
            throw GeneratorError(.startFailed, "consistency scorer \(folder): \(error.description)")
        }
        guard classifier.classNames.count == classifier.classes else {
            throw GeneratorError(.startFailed, "consistency scorer \(folder): config.json lists no class names to match labels against")
        }
        let digest: String
        do { digest = try NativeModelFolder.digest(of: folder) } catch { throw GeneratorError(.startFailed, error.description) }
        let architecture = classifier.architecture
        fitting = SourceFitting(fit: .resize, padValue: 0, size: PixelSize(width: architecture.width, height: architecture.height),
                                channels: architecture.inputChannels)
        self.threads = max(1, threads)
        scorerIdentity = GeneratorIdentity(model: folder, revision: digest,
                                           detailsJSON: #"{"score":"softmax probability of the label","scorer":"sgid-native-classifier"}"#)
    }

    /// The class of a label (its name, the name with `/` written `_`, or an index number), or `nil`.
    /// - Parameter label: The label text.
    /// - Returns: The class index.
    public func classIndex(of label: String) -> Int? { NativeModelFolder.classIndex(of: label, in: classifier.classNames) }

    /// The classifier's probability of every class for each image (brought to its input first).
    /// - Parameter images: The images.
    /// - Returns: One row of `classifier.classes` probabilities per image.
    /// - Throws: `GeneratorError` when the classifier fails.
    public func classProbabilities(_ images: [Image]) throws(GeneratorError) -> [[Float]] {
        guard !images.isEmpty else { return [] }
        let batch = images.flatMap { fitting.fitted($0).pixels }, classes = classifier.classes
        let probabilities: [Float]
        do {
            probabilities = try batch.withUnsafeBufferPointer { (bytes) throws(TrainingError) in
                try classifier.probabilities(bytes: bytes, count: images.count, threads: threads)
            }
        } catch {
            throw GeneratorError(.rejected, "consistency scorer: \(error.description)")
        }
        return (0..<images.count).map { Array(probabilities[$0 * classes..<($0 + 1) * classes]) }
    }

    /// Scores images against their labels.
    /// - Parameter requests: The images and labels.
    /// - Returns: The probability of each label, or the item's error (an unknown label).
    /// - Throws: `GeneratorError` when the classifier fails on the whole group.
    public func score(_ requests: [ScoreRequest]) throws(GeneratorError) -> [Result<Double, GeneratorError>] {
        var results = [Result<Double, GeneratorError>](repeating: .success(0), count: requests.count)
        var images: [Image] = [], rows: [(request: Int, label: Int)] = []
        for (index, request) in requests.enumerated() {
            guard let label = classIndex(of: request.label) else {
                results[index] = .failure(GeneratorError(.invalidArgument, "label '\(request.label)' is not one of the scorer's classes: "
                                                         + classifier.classNames.joined(separator: ", "), key: request.key))
                continue
            }
            images.append(request.image)
            rows.append((index, label))
        }
        let probabilities = try classProbabilities(images)
        for (row, item) in rows.enumerated() { results[item.request] = .success(Double(probabilities[row][item.label])) }
        return results
    }
}
