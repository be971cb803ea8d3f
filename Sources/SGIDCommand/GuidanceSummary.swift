import Foundation

/// The classifier-free guidance a cache's variants were actually generated with. Under `--guidance-range` every
/// source gets its own scale (from its similarity to its label), so the nominal `guidance` of the provenance says
/// little: this collects each variant's own value and reports its range, mean and a histogram.
struct GuidanceSummary {
    /// Every variant's guidance, in reading order.
    private(set) var values: [Double] = []

    /// Adds the variants of one record's provenance: each variant's `guidance`, else the record's.
    /// - Parameter provenance: The record's provenance object.
    mutating func add(provenance: [String: Any]) {
        let nominal = provenance["guidance"] as? Double
        guard let variants = provenance["variants"] as? [[String: Any]], !variants.isEmpty else {
            if let nominal { values.append(nominal) }
            return
        }
        for variant in variants {
            if let value = (variant["guidance"] as? Double) ?? nominal { values.append(value) }
        }
    }

    /// Equal-width bins over `min…max` with the number of variants in each (the last bin includes `max`); one bin
    /// when every variant has the same value, none when there are no values.
    /// - Parameter count: The number of bins for a spread of values.
    /// - Returns: Each bin's bounds and count.
    func histogram(bins count: Int = 8) -> [(low: Double, high: Double, count: Int)] {
        guard let low = values.min(), let high = values.max() else { return [] }
        guard high > low else { return [(low, high, values.count)] }
        let width = (high - low) / Double(count)
        var counts = [Int](repeating: 0, count: count)
        for value in values { counts[min(count - 1, Int((value - low) / width))] += 1 }
        return counts.indices.map { (low + Double($0) * width, $0 == count - 1 ? high : low + Double($0 + 1) * width, counts[$0]) }
    }

    /// The JSON form: `count`, `min`, `max`, `mean` and `histogram` (`low`, `high`, `count` per bin); `nil` without values.
    var json: [String: Any]? {
        guard let low = values.min(), let high = values.max() else { return nil }
        return ["count": values.count, "min": low, "max": high, "mean": values.reduce(0, +) / Double(values.count),
                "histogram": histogram().map { ["low": $0.low, "high": $0.high, "count": $0.count] }]
    }

    /// One line of text: the single value, or the range, mean and histogram.
    var text: String? {
        guard let json, let low = json["min"] as? Double, let high = json["max"] as? Double, let mean = json["mean"] as? Double else {
            return nil
        }
        guard high > low else { return "guidance used: \(format(low)) (all \(values.count) variants)" }
        let bins = histogram().map { "[\(format($0.low)), \(format($0.high))\($0.high == high ? "]" : ")") \($0.count)" }
        return "guidance used: \(format(low))…\(format(high)), mean \(format(mean)) over \(values.count) variants; "
            + bins.joined(separator: ", ")
    }

    private func format(_ value: Double) -> String { String(format: "%.3g", value) }
}
