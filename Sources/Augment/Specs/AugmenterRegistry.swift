import Synchronization

/// Names augmenters so pipeline specs (and later JSON pipelines and CLI flags) can refer to them: each name maps to
/// the parameters it accepts and a factory that builds the augmenter from them. Thread-safe.
///
/// `AugmenterRegistry.shared` holds the built-ins (`resize`, `center_crop`, `random_resized_crop`, `hflip`,
/// `vflip`); users add their own with `register(_:parameters:factory:)`.
public final class AugmenterRegistry: Sendable {
    /// Builds an augmenter from its parameters (unknown parameter names were already refused).
    public typealias Factory = @Sendable (AugmenterParameters) throws(AugmentError) -> any Augmenter

    private struct Entry: Sendable {
        let parameters: Set<String>
        let factory: Factory
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The process-wide registry, with the built-ins registered.
    public static let shared = AugmenterRegistry()

    /// Creates a registry.
    /// - Parameter builtIns: Whether to register the built-in operations.
    public init(builtIns: Bool = true) {
        if builtIns {
            registerBuiltIns()
            registerPixelOperations()
            registerComposition()
            registerPolicies()
        }
    }

    /// Registers (or replaces) an operation.
    /// - Parameters:
    ///   - name: The name specs use.
    ///   - parameters: The parameter names it accepts; any other name is refused before the factory runs.
    ///   - factory: Builds the augmenter.
    public func register(_ name: String, parameters: [String], factory: @escaping Factory) {
        entries.withLock { $0[name] = Entry(parameters: Set(parameters), factory: factory) }
    }

    /// The registered names, sorted.
    public var names: [String] { entries.withLock { $0.keys.sorted() } }

    /// The parameter names an operation accepts.
    /// - Parameter name: The operation.
    /// - Returns: The sorted names, or `nil` for an unknown operation.
    public func parameters(of name: String) -> [String]? {
        entries.withLock { $0[name].map { $0.parameters.sorted() } }
    }

    /// Builds an augmenter.
    /// - Parameters:
    ///   - name: The operation's name.
    ///   - values: Its parameters.
    /// - Returns: The augmenter.
    /// - Throws: `AugmentError` naming the operation for an unknown name, an unknown parameter, or a bad value.
    public func make(_ name: String, _ values: [String: String] = [:]) throws(AugmentError) -> any Augmenter {
        guard let entry = entries.withLock({ $0[name] }) else {
            throw AugmentError(operation: name, key: PipelineSpec.errorKey,
                               message: "unknown operation (known: \(names.joined(separator: ", ")))")
        }
        if let unknown = values.keys.sorted().first(where: { !entry.parameters.contains($0) }) {
            let accepted = entry.parameters.sorted().joined(separator: ", ")
            throw AugmentError(operation: name, key: PipelineSpec.errorKey,
                               message: "unknown parameter '\(unknown)' (accepted: \(accepted.isEmpty ? "none" : accepted))")
        }
        return try entry.factory(AugmenterParameters(operation: name, values: values))
    }
}
