import Dispatch
import Foundation
import Tensor

/// A small convolutional classifier built from a `ClassifierArchitecture`: parameters PyTorch-shaped (names
/// `layers.N.weight` / `layers.N.bias` as an `nn.Sequential` called `layers`), inputs normalised channels-last floats.
/// Inference runs in fixed chunks of images over worker threads, so results do not depend on the thread count.
public final class Classifier: @unchecked Sendable {
    /// The architecture.
    public let architecture: ClassifierArchitecture
    /// Per-channel `(x / 255 − mean) / std` applied to byte inputs.
    public let normalization: InputNormalization
    /// The class names (index = class), or empty.
    public let classNames: [String]
    /// Every parameter, in layer order.
    public let parameters: [Parameter]
    let layers: [any TrainableLayer]
    /// The input shape of each layer, then the output's.
    let shapes: [MapShape]

    /// Images per chunk: the unit of work of a thread and of gradient accumulation.
    public static let chunkImages = 8

    /// Builds a classifier with freshly initialised parameters (PyTorch's default uniform bounds, drawn from `seed`).
    /// - Parameters:
    ///   - architecture: The layers.
    ///   - normalization: Input normalisation (default: Fashion-MNIST's mean 0.286, std 0.353).
    ///   - classNames: Names of the classes, or empty.
    ///   - seed: The initialisation seed.
    /// - Throws: `.invalidArchitecture` naming the layer that does not fit, `.blasUnavailable`.
    public init(architecture: ClassifierArchitecture, normalization: InputNormalization = .fashionMNIST,
                classNames: [String] = [], seed: UInt64 = 0) throws(TrainingError) {
        do { try BLAS.load() } catch { throw TrainingError(.blasUnavailable, error.description) }
        guard architecture.inputChannels > 0, architecture.height > 0, architecture.width > 0 else {
            throw TrainingError(.invalidArchitecture, "input \(architecture.height)×\(architecture.width)×\(architecture.inputChannels) is empty")
        }
        guard normalization.mean.count == architecture.inputChannels, normalization.std.count == architecture.inputChannels,
              normalization.std.allSatisfy({ $0 > 0 }) else {
            throw TrainingError(.invalidArchitecture, "normalisation needs \(architecture.inputChannels) means and positive stds")
        }
        var rng = TrainingRNG(seed: seed, stream: 0x696E_6974)  // "init"
        var shape = MapShape(height: architecture.height, width: architecture.width, channels: architecture.inputChannels)
        var layers: [any TrainableLayer] = [], shapes = [shape]
        for (index, spec) in architecture.layers.enumerated() {
            let name = "layers.\(index)"
            let layer: any TrainableLayer
            switch spec {
            case .convolution(let out, let kernel):
                guard out > 0, kernel > 0, kernel % 2 == 1 else {
                    throw TrainingError(.invalidArchitecture, "\(name): a convolution needs channels > 0 and an odd kernel, not \(out), \(kernel)")
                }
                layer = ConvolutionLayer(name: name, inChannels: shape.channels, outChannels: out, kernel: kernel, rng: &rng)
            case .relu: layer = ReLULayer()
            case .maxPool:
                guard shape.height >= 2, shape.width >= 2 else {
                    throw TrainingError(.invalidArchitecture, "\(name): max pooling a \(shape.height)×\(shape.width) map")
                }
                layer = MaxPoolLayer()
            case .globalAveragePool: layer = GlobalAveragePoolLayer()
            case .dropout(let p):
                guard (0..<1).contains(p) else { throw TrainingError(.invalidArchitecture, "\(name): dropout probability \(p)") }
                layer = DropoutLayer(probability: p, index: index)
            case .linear(let out):
                guard out > 0 else { throw TrainingError(.invalidArchitecture, "\(name): a linear layer of \(out) features") }
                layer = LinearLayer(name: name, inFeatures: shape.count, outFeatures: out, rng: &rng)
            }
            shape = layer.outputShape(shape)
            layers.append(layer)
            shapes.append(shape)
        }
        guard shape.count > 1, case .linear = architecture.layers.last else {
            throw TrainingError(.invalidArchitecture, "the last layer must be linear with at least 2 classes")
        }
        guard classNames.isEmpty || classNames.count == shape.count else {
            throw TrainingError(.invalidArchitecture, "\(classNames.count) class names for \(shape.count) classes")
        }
        self.architecture = architecture
        self.normalization = normalization
        self.classNames = classNames
        self.layers = layers
        self.shapes = shapes
        parameters = layers.flatMap(\.parameters)
    }

    /// The number of classes.
    public var classes: Int { shapes[shapes.count - 1].count }
    /// Values per input image (height × width × channels).
    public var inputCount: Int { shapes[0].count }
    /// The number of trainable values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.values.count } }

    /// Multiply-adds of one image's forward pass (convolutions and linear layers).
    public var multiplyAdds: Int {
        zip(layers, shapes).reduce(0) { total, pair in
            switch pair.0 {
            case let conv as ConvolutionLayer: return total + pair.1.pixels * conv.kernel * conv.kernel * conv.inChannels * conv.outChannels
            case let linear as LinearLayer: return total + linear.inFeatures * linear.outFeatures
            default: return total
            }
        }
    }

    // MARK: Passes over one chunk

    /// Runs the layers on `images` inputs; returns the logits (in the last layer's state).
    func forward(_ input: UnsafePointer<Float>, images: Int, workspace: ChunkWorkspace, context: PassContext) -> UnsafePointer<Float> {
        var current = input
        for (index, layer) in layers.enumerated() {
            layer.forward(current, images: images, shape: shapes[index], state: workspace.states[index], context: context)
            current = UnsafePointer(workspace.states[index].output.pointer)
        }
        return current
    }

    /// Back-propagates `logitsGradient`, adding every parameter's gradient to the workspace's buffers.
    func backward(_ input: UnsafePointer<Float>, logitsGradient: UnsafePointer<Float>, images: Int, workspace: ChunkWorkspace) {
        var gradient = logitsGradient
        for index in layers.indices.reversed() {
            let layerInput = index == 0 ? input : UnsafePointer(workspace.states[index - 1].output.pointer)
            layers[index].backward(layerInput, outputGradient: gradient, images: images, shape: shapes[index],
                                   state: workspace.states[index], gradients: workspace.gradientBuffers[index],
                                   needsInputGradient: index > 0)
            gradient = UnsafePointer(workspace.states[index].inputGradient.pointer)
        }
    }

    /// A workspace for one chunk.
    func makeWorkspace() -> ChunkWorkspace { ChunkWorkspace(classifier: self) }

    // MARK: Inference

    /// The logits of `count` images (normalised floats, channels-last).
    /// - Parameters:
    ///   - images: `count` × `inputCount` values.
    ///   - count: Images.
    ///   - threads: Worker threads (the result does not depend on it).
    /// - Returns: `count` × `classes` logits.
    public func logits(_ images: UnsafeBufferPointer<Float>, count: Int, threads: Int = 1) throws(TrainingError) -> [Float] {
        guard images.count >= count * inputCount else {
            throw TrainingError(.invalidInput, "\(images.count) values for \(count) images of \(inputCount)")
        }
        let classes = self.classes, chunkCount = (count + Self.chunkImages - 1) / Self.chunkImages
        var output = [Float](repeating: 0, count: count * classes)
        let workers = max(1, min(threads, chunkCount))
        let workspaces = (0..<workers).map { _ in makeWorkspace() }
        output.withUnsafeMutableBufferPointer { out in
            let out = UncheckedPointer(out.baseAddress!), source = UncheckedPointer(UnsafeMutablePointer(mutating: images.baseAddress!))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for chunk in stride(from: worker, to: chunkCount, by: workers) {
                    let first = chunk * Self.chunkImages, n = min(Self.chunkImages, count - first)
                    let context = PassContext(training: false, seed: 0, step: 0, firstSample: first)
                    let logits = forward(source.pointer + first * inputCount, images: n, workspace: workspaces[worker], context: context)
                    (out.pointer + first * classes).update(from: logits, count: n * classes)
                }
            }
        }
        return output
    }

    /// The softmax probabilities of `count` byte images (height × width × channels each), normalised first.
    /// - Parameters:
    ///   - images: `count` × `inputCount` bytes.
    ///   - count: Images.
    ///   - threads: Worker threads.
    /// - Returns: `count` × `classes` probabilities.
    public func probabilities(bytes images: UnsafeBufferPointer<UInt8>, count: Int, threads: Int = 1) throws(TrainingError) -> [Float] {
        guard images.count >= count * inputCount else {
            throw TrainingError(.invalidInput, "\(images.count) bytes for \(count) images of \(inputCount)")
        }
        let floats = normalization.apply(images, channels: architecture.inputChannels, count: count * inputCount)
        var values = try floats.withUnsafeBufferPointer { (buffer) throws(TrainingError) in try logits(buffer, count: count, threads: threads) }
        let classes = self.classes
        for row in 0..<count {
            var largest = -Float.infinity
            for c in 0..<classes { largest = max(largest, values[row * classes + c]) }
            var sum: Double = 0
            for c in 0..<classes {
                let e = Float(exp(Double(values[row * classes + c] - largest)))
                values[row * classes + c] = e
                sum += Double(e)
            }
            for c in 0..<classes { values[row * classes + c] = Float(Double(values[row * classes + c]) / sum) }
        }
        return values
    }
}

/// A pointer handed to concurrent workers that write disjoint ranges.
struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}

/// One chunk's layer states and gradient buffers (one flat buffer, a slice per parameter).
final class ChunkWorkspace: @unchecked Sendable {
    let states: [LayerState]
    let gradients: Activations
    /// Per layer, the gradient buffer of each of its parameters.
    let gradientBuffers: [[UnsafeMutablePointer<Float>]]
    /// The gradient of the loss with respect to the logits.
    let logitsGradient: Activations
    let gradientCount: Int

    init(classifier: Classifier) {
        let images = Classifier.chunkImages
        states = classifier.layers.indices.map {
            LayerState(input: classifier.shapes[$0], output: classifier.shapes[$0 + 1], images: images)
        }
        gradientCount = classifier.parameters.reduce(0) { $0 + $1.values.count }
        let gradients = Activations(capacity: gradientCount)
        var offset = 0, buffers: [[UnsafeMutablePointer<Float>]] = []
        for layer in classifier.layers {
            buffers.append(layer.parameters.map { parameter in
                defer { offset += parameter.values.count }
                return gradients.pointer + offset
            })
        }
        self.gradients = gradients
        gradientBuffers = buffers
        logitsGradient = Activations(capacity: images * classifier.classes)
    }

    /// Zeroes the gradient buffers.
    func clearGradients() { gradients.pointer.update(repeating: 0, count: gradientCount) }
}
