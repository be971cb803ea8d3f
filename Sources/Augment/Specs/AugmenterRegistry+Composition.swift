extension AugmenterRegistry {
    /// Registers composition; `children` is the nested pipeline written inside the parentheses
    /// (`one_of(hflip(p=1) | vflip(p=1), weights=1:2)`) or the `children` array of a JSON stage:
    /// - `identity`: leaves the sample unchanged.
    /// - `sequence(children)`: the children in order.
    /// - `random_apply(children, p=0.5)`: all children in order with probability `p` (in 0…1).
    /// - `one_of(children, weights=1:1:…, p=1)`: one child, chosen with the given weights (each in 0…1,000,000, with a
    ///   positive sum), with probability `p`.
    /// - `some_of(children, n=1, replace=false)`: `n` children chosen uniformly, kept in order; `n` is at most the
    ///   number of children, or with `replace` at most 1000.
    /// - `random_order(children)`: all children in a random order.
    func registerComposition() {
        register("identity", parameters: []) { (_) throws(AugmentError) in Identity() }
        register("sequence", parameters: [PipelineSpec.childrenKey]) { [unowned self] (parameters) throws(AugmentError) in
            Pipeline(try children(parameters))
        }
        register("random_apply", parameters: [PipelineSpec.childrenKey, "p"]) {
            [unowned self] (parameters) throws(AugmentError) in
            RandomApply(p: try parameters.double("p", default: 0.5, in: 0...1), try children(parameters))
        }
        register("one_of", parameters: [PipelineSpec.childrenKey, "weights", "p"]) {
            [unowned self] (parameters) throws(AugmentError) in
            let children = try children(parameters, minimum: 1)
            var weights: [Double]?
            if let text = parameters.values["weights"] {
                let numbers = text.split(separator: ":", omittingEmptySubsequences: false)
                    .compactMap { AugmenterParameters.number(String($0)) }
                guard numbers.count == children.count, numbers.count == text.split(separator: ":", omittingEmptySubsequences: false).count,
                      numbers.allSatisfy({ (0...Self.maxWeight).contains($0) }), numbers.reduce(0, +) > 0 else {
                    throw parameters.invalid("weights", "\(children.count) numbers 'w1:w2:…' in 0...\(Int(Self.maxWeight)) "
                                             + "with a positive sum, one per child")
                }
                weights = numbers
            }
            return OneOf(children, weights: weights, p: try parameters.double("p", default: 1, in: 0...1))
        }
        register("some_of", parameters: [PipelineSpec.childrenKey, "n", "replace"]) {
            [unowned self] (parameters) throws(AugmentError) in
            let children = try children(parameters)
            let replace = try parameters.bool("replace", default: false)
            let n = try parameters.int("n", default: 1, in: 0...Self.maxDrawsWithReplacement)
            guard replace ? (n == 0 || !children.isEmpty) : n <= children.count else {
                throw parameters.invalid("n", replace ? "0 when there are no children" : "at most \(children.count) (the number of children)")
            }
            return SomeOf(n: n, replace: replace, children)
        }
        register("random_order", parameters: [PipelineSpec.childrenKey]) { [unowned self] (parameters) throws(AugmentError) in
            RandomOrder(try children(parameters))
        }
    }

    /// The largest `one_of` weight (weights are relative; the bound keeps their sum finite).
    static let maxWeight = 1_000_000.0
    /// The largest `some_of(replace=true)` count (each draw runs a child).
    static let maxDrawsWithReplacement = 1000

    /// Builds a composition stage's children from their canonical text.
    /// - Parameters:
    ///   - parameters: The stage's parameters.
    ///   - minimum: The fewest children allowed.
    /// - Returns: The children.
    /// - Throws: `AugmentError` when they are missing or too few, or a child's own error.
    private func children(_ parameters: AugmenterParameters, minimum: Int = 0) throws(AugmentError) -> [any Augmenter] {
        guard let text = parameters.values[PipelineSpec.childrenKey] else {
            throw AugmentError(operation: parameters.operation, key: PipelineSpec.errorKey,
                               message: "missing parameter 'children' (write them inside the parentheses: "
                                   + "\(parameters.operation)(hflip | vflip))")
        }
        let children = try PipelineSpec.build(PipelineSpec.stages(text), registry: self).stages
        guard children.count >= minimum else { throw parameters.invalid(PipelineSpec.childrenKey, "at least \(minimum) child") }
        return children
    }
}

extension AugmenterParameters {
    /// A boolean parameter (`true`/`false`, `1`/`0`, `yes`/`no`).
    /// - Parameters:
    ///   - name: The parameter.
    ///   - fallback: The value when absent.
    /// - Returns: The value.
    /// - Throws: `AugmentError` for any other text.
    public func bool(_ name: String, default fallback: Bool) throws(AugmentError) -> Bool {
        guard let text = values[name] else { return fallback }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw invalid(name, "true or false")
        }
    }
}
