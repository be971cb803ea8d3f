/// How Mixup/CutMix parameters are drawn across a batch (timm's `mode`).
public enum MixMode: String, Sendable, Codable, CaseIterable {
    /// One λ (and one CutMix box) for the whole batch.
    case batch
    /// One λ per pair (`i`, `count − 1 − i`); both images of a pair are mixed with each other.
    case pair
    /// One λ per sample.
    case elem
}
