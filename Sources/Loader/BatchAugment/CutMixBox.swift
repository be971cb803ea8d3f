import Augment

/// The CutMix box of timm's `rand_bbox` / `rand_bbox_minmax` and the λ it implies.
enum CutMixBox {
    /// Draws a box and corrects λ.
    ///
    /// - Without `minMax` (`rand_bbox`): `cut = int(side · √(1 − λ))` per side, centre `cy` then `cx` uniform over the
    ///   image, box `centre ± cut // 2` clipped to the image.
    /// - With `minMax` (`rand_bbox_minmax`): `cut_h` uniform in `[int(H·min), int(H·max))`, `cut_w` likewise, then the
    ///   top-left corner uniform in `[0, H − cut_h)` × `[0, W − cut_w)`.
    /// - λ becomes `1 − area / (H·W)` when `correctLambda` or `minMax` is set.
    /// - Parameters:
    ///   - width: Image width.
    ///   - height: Image height.
    ///   - lambda: The drawn λ.
    ///   - minMax: The box-side range as fractions of the image sides, if any.
    ///   - correctLambda: Whether λ is replaced by the unpasted share.
    ///   - rng: The generator.
    /// - Returns: The box and the (corrected) λ.
    static func draw(width: Int, height: Int, lambda: Double, minMax: ClosedRange<Double>?, correctLambda: Bool,
                     using rng: inout SampleRNG) -> (MixBox, Double) {
        let box: MixBox
        if let minMax {
            func uniform(_ low: Int, _ high: Int) -> Int { high > low ? rng.int(in: low...(high - 1)) : low }
            let cutH = uniform(Int(Double(height) * minMax.lowerBound), Int(Double(height) * minMax.upperBound))
            let cutW = uniform(Int(Double(width) * minMax.lowerBound), Int(Double(width) * minMax.upperBound))
            let top = uniform(0, height - cutH), left = uniform(0, width - cutW)
            box = MixBox(top: top, bottom: top + cutH, left: left, right: left + cutW)
        } else {
            let ratio = (1 - lambda).squareRoot()
            let cutH = Int(Double(height) * ratio), cutW = Int(Double(width) * ratio)
            let cy = rng.int(in: 0...(height - 1)), cx = rng.int(in: 0...(width - 1))
            func clip(_ value: Int, _ limit: Int) -> Int { min(max(value, 0), limit) }
            box = MixBox(top: clip(cy - cutH / 2, height), bottom: clip(cy + cutH / 2, height),
                         left: clip(cx - cutW / 2, width), right: clip(cx + cutW / 2, width))
        }
        guard correctLambda || minMax != nil else { return (box, lambda) }
        return (box, 1 - Double(box.area) / Double(width * height))
    }
}
