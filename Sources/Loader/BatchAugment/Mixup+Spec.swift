import Augment
import Foundation

extension Mixup {
    /// The parameter names of the spec form, as timm names its arguments.
    public static let parameterNames = ["mixup_alpha", "cutmix_alpha", "cutmix_minmax", "prob", "switch_prob", "mode",
                                        "correct_lam", "label_smoothing", "num_classes"]

    /// The largest `num_classes` (each mixed sample carries a soft-label vector of this length).
    public static let maxClasses = 1_000_000

    /// Parses the spec form, with timm's argument names and defaults:
    /// `mixup(mixup_alpha=0.8, cutmix_alpha=1, cutmix_minmax=0.2:0.8, prob=1, switch_prob=0.5, mode=batch|pair|elem,
    /// correct_lam=true, label_smoothing=0.1, num_classes=1000)`; `cutmix(…)` is the same with `mixup_alpha` 0 and
    /// `cutmix_alpha` 1 by default. `cutmix_minmax` is a range `low:high` or, as timm's list `[low, high]` is written
    /// in a spec (lists separate their values with `;`), `low;high` or `[low;high]`. Bounds (checked here; numbers must be finite): alphas in 0…1000,
    /// `cutmix_minmax` within 0 < low ≤ high ≤ 1, `prob`, `switch_prob` and `label_smoothing` in 0…1, `num_classes`
    /// in 1…`maxClasses`.
    /// - Parameter text: The spec.
    /// - Returns: The augmenter.
    /// - Throws: `AugmentError` naming the parameter for syntax errors, unknown parameters and bad values.
    public static func parse(_ text: String) throws(AugmentError) -> Mixup {
        let stages = try PipelineSpec.stages(text)
        guard stages.count == 1, let stage = stages.first, ["mixup", "cutmix"].contains(stage.name),
              stage.children == nil, stage.positional == nil else {
            throw AugmentError(operation: "mixup", key: "batch spec",
                               message: "expected one 'mixup(k=v, …)' or 'cutmix(k=v, …)', got '\(text)'")
        }
        let parameters = AugmenterParameters(operation: stage.name, values: stage.values)
        if let unknown = stage.values.keys.sorted().first(where: { !parameterNames.contains($0) }) {
            throw AugmentError(operation: stage.name, key: "batch spec",
                               message: "unknown parameter '\(unknown)' (accepted: \(parameterNames.joined(separator: ", ")))")
        }
        let cutmixOnly = stage.name == "cutmix"
        let mixupAlpha = try parameters.double("mixup_alpha", default: cutmixOnly ? 0 : 1, in: 0...1000)
        let cutmixAlpha = try parameters.double("cutmix_alpha", default: cutmixOnly ? 1 : 0, in: 0...1000)
        let minMax = try cutMixMinMax(parameters)
        guard let mode = MixMode(rawValue: parameters.values["mode"] ?? "batch") else {
            throw parameters.invalid("mode", "batch, pair or elem")
        }
        guard mixupAlpha > 0 || cutmixAlpha > 0 || minMax != nil else {
            throw parameters.invalid("mixup_alpha", "mixup_alpha or cutmix_alpha > 0")
        }
        return Mixup(mixupAlpha: mixupAlpha, cutmixAlpha: cutmixAlpha, cutmixMinMax: minMax,
                     probability: try parameters.double("prob", default: 1, in: 0...1),
                     switchProbability: try parameters.double("switch_prob", default: 0.5, in: 0...1), mode: mode,
                     correctLambda: try parameters.bool("correct_lam", default: true),
                     labelSmoothing: try parameters.double("label_smoothing", default: 0.1, in: 0...1),
                     classes: try parameters.int("num_classes", default: 1000, in: 1...maxClasses))
    }

    /// `cutmix_minmax` as `low:high`, `low;high` or `[low;high]` (timm's two-element list), or `nil` when absent.
    private static func cutMixMinMax(_ parameters: AugmenterParameters) throws(AugmentError) -> ClosedRange<Double>? {
        guard let original = parameters.values["cutmix_minmax"] else { return nil }
        var text = original.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        let parts = text.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2 { text = parts.joined(separator: ":") }
        do {
            return try AugmenterParameters(operation: parameters.operation, values: ["cutmix_minmax": text])
                .range("cutmix_minmax", default: 0...1, in: 0...1, positive: true)
        } catch {
            throw parameters.invalid("cutmix_minmax", "'low:high', 'low;high' or '[low;high]' with 0 < low ≤ high ≤ 1")
        }
    }
}
