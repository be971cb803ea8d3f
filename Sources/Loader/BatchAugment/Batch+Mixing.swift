/// One image's mixing instruction: blend with the partner's original image by `lambda`, or paste the partner's
/// original pixels inside `box`.
struct MixStep {
    let slot: Int
    let partner: Int
    let lambda: Double
    let box: MixBox?
}

/// Image elements that can be blended: `own·λ + partner·(1 − λ)` in single precision (timm's float path;
/// for bytes, rounded half to even as timm's `FastCollateMixup` does with `np.rint`).
protocol MixableElement {
    /// The blend.
    static func blend(_ own: Self, _ partner: Self, lambda: Float, rest: Float) -> Self
}

extension UInt8: MixableElement {
    static func blend(_ own: UInt8, _ partner: UInt8, lambda: Float, rest: Float) -> UInt8 {
        let value = (Float(own) * lambda + Float(partner) * rest).rounded(.toNearestOrEven)
        return UInt8(Swift.min(Swift.max(value, 0), 255))
    }
}

extension Float: MixableElement {
    static func blend(_ own: Float, _ partner: Float, lambda: Float, rest: Float) -> Float { own * lambda + partner * rest }
}

extension Batch {
    /// Mixes images in place; partners are always read from the images as they were before any step.
    /// - Parameter steps: The instructions (at most one per slot).
    func mix(_ steps: [MixStep]) {
        guard !steps.isEmpty else { return }
        switch format {
        case .uint8NHWC:
            mix(steps, as: UInt8.self, planar: false)
        case .float32NHWC:
            mix(steps, as: Float.self, planar: false)
        case .float32NCHW:
            mix(steps, as: Float.self, planar: true)
        }
    }

    private func mix<Element: MixableElement>(_ steps: [MixStep], as type: Element.Type, planar: Bool) {
        let elements = imageElements, plane = width * height
        let images = memory.pointer.assumingMemoryBound(to: Element.self)
        let original = Array(UnsafeBufferPointer(start: images, count: count * elements))
        original.withUnsafeBufferPointer { source in
            for step in steps {
                let own = images + step.slot * elements
                let partner = source.baseAddress! + step.partner * elements
                guard let box = step.box else {
                    let lambda = Float(step.lambda), rest = Float(1 - step.lambda)
                    for index in 0..<elements { own[index] = Element.blend(own[index], partner[index], lambda: lambda, rest: rest) }
                    continue
                }
                guard box.area > 0 else { continue }
                if planar {
                    for channel in 0..<channels {
                        for row in box.top..<box.bottom {
                            let start = channel * plane + row * width + box.left
                            (own + start).update(from: partner + start, count: box.right - box.left)
                        }
                    }
                } else {
                    for row in box.top..<box.bottom {
                        let start = (row * width + box.left) * channels
                        (own + start).update(from: partner + start, count: (box.right - box.left) * channels)
                    }
                }
            }
        }
    }
}
