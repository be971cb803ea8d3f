/// What a pass through the network knows beyond its inputs.
struct PassContext: Sendable {
    /// Training (dropout active) or inference.
    var training: Bool
    /// The run's seed (dropout masks).
    var seed: UInt64
    /// The optimiser step (dropout masks differ per step).
    var step: Int
    /// The batch position of the chunk's first image (dropout masks are per sample, not per chunk).
    var firstSample: Int
}

/// One chunk's buffers for one layer: its output and input gradient for every image of the chunk, and scratch the
/// layer keeps between its forward and backward pass (a convolution's im2col, a pooling's winners, a dropout mask).
final class LayerState {
    /// The output, images × output shape.
    let output: Activations
    /// The gradient with respect to the input, images × input shape.
    let inputGradient: Activations
    /// Layer-specific scratch.
    let scratch = Activations(capacity: 1)
    /// More layer-specific scratch.
    let scratch2 = Activations(capacity: 1)
    /// Positions (max pooling's winners).
    var indices: [Int32] = []

    /// Allocates the buffers of a chunk.
    /// - Parameters:
    ///   - input: The layer's input shape.
    ///   - output: The layer's output shape.
    ///   - images: Images per chunk.
    init(input: MapShape, output: MapShape, images: Int) {
        self.output = Activations(capacity: output.count * images)
        inputGradient = Activations(capacity: input.count * images)
    }
}

/// A layer with its forward and backward pass on a chunk of images (contiguous, channels-last). Parameters are shared
/// by every chunk and read-only during a step; each chunk adds its parameter gradients to its own buffers.
protocol TrainableLayer: AnyObject, Sendable {
    /// The layer's parameters, in the order of `backward`'s gradient buffers.
    var parameters: [Parameter] { get }
    /// The output shape for an input shape.
    func outputShape(_ input: MapShape) -> MapShape
    /// Computes `state.output` for `images` inputs of shape `shape`.
    func forward(_ input: UnsafePointer<Float>, images: Int, shape: MapShape, state: LayerState, context: PassContext)
    /// Adds the parameters' gradients to `gradients` (one buffer per parameter) and, when `needsInputGradient`,
    /// writes the input's gradient to `state.inputGradient`. The forward pass of the same chunk ran just before.
    func backward(_ input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, images: Int, shape: MapShape,
                  state: LayerState, gradients: [UnsafeMutablePointer<Float>], needsInputGradient: Bool)
}
