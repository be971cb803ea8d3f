extension AugmenterRegistry {
    /// Registers composition (sequence, random_apply, one_of, some_of, random_order, identity).
    func registerComposition() {}
}
