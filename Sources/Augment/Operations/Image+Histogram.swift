import ImageCodec

extension Image {
    /// Stretches each channel so its darkest value becomes 0 and its brightest 255 (Pillow
    /// `ImageOps.autocontrast` with cutoff 0): with `lo`/`hi` the first and last non-empty histogram bins and
    /// `scale = 255 / (hi − lo)`, `v ↦ clamp(int(v·scale − lo·scale), 0, 255)`; a channel with `hi ≤ lo` is unchanged.
    /// - Returns: The stretched image.
    public func autocontrasted() -> Image {
        let tables = channelHistograms().map { histogram -> [UInt8] in
            guard let lo = histogram.firstIndex(where: { $0 != 0 }), let hi = histogram.lastIndex(where: { $0 != 0 }),
                  hi > lo else { return (0..<256).map { UInt8($0) } }
            let scale = 255.0 / Double(hi - lo)
            let offset = -Double(lo) * scale
            return (0..<256).map { value in
                let mapped = (Double(value) * scale + offset).rounded(.towardZero)
                return UInt8(min(max(mapped, 0), 255))
            }
        }
        return mapped(throughPerChannel: tables)
    }

    /// Equalizes each channel's histogram (Pillow `ImageOps.equalize`): with `h` the non-empty bins,
    /// `step = (Σh − h.last) / 255` (integer division), `v ↦ min(255, (step/2 + Σ_{i<v} hist[i]) / step)`;
    /// a channel with at most one non-empty bin or `step = 0` is unchanged.
    /// - Returns: The equalized image.
    public func equalized() -> Image {
        let tables = channelHistograms().map { histogram -> [UInt8] in
            let used = histogram.filter { $0 != 0 }
            let identity = (0..<256).map { UInt8($0) }
            guard used.count > 1 else { return identity }
            let step = (used.reduce(0, +) - used[used.count - 1]) / 255
            guard step > 0 else { return identity }
            var running = step / 2
            return (0..<256).map { value in
                let mapped = UInt8(min(running / step, 255))
                running += histogram[value]
                return mapped
            }
        }
        return mapped(throughPerChannel: tables)
    }
}
