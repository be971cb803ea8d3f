import ImageCodec

extension Image {
    /// Resizes the image (or a sub-rectangle of it) exactly as Pillow 13's `Image.resize(size, filter, box)` does,
    /// byte for byte.
    ///
    /// - `nearest` goes through Pillow's affine nearest path: source index `trunc(box.left + (x + 0.5) · scale)`,
    ///   accumulated in double precision as Pillow does.
    /// - Every other filter is Pillow's separable convolution: per axis `scale = (end − start) / out`, the kernel
    ///   widened by `max(scale, 1)` (antialiasing when downscaling), weights normalised in double precision and
    ///   rounded to 22-bit fixed point; the horizontal pass runs first on just the rows the vertical pass reads,
    ///   stores 8-bit values, and an axis whose size and box are unchanged is skipped. (Pillow 13 runs the vertical
    ///   pass first instead when the height shrinks by more than twice as many pixels as the width.)
    /// - A whole-pixel box the size of the output is a plain crop, and an unchanged size without a box is a copy.
    ///
    /// Four-channel images are resized channel by channel (Pillow's `RGBX`/`RGBa` behaviour; Pillow premultiplies
    /// `RGBA` by alpha first).
    /// - Parameters:
    ///   - size: The output size (both sides ≥ 1).
    ///   - filter: The resampling filter.
    ///   - box: The source rectangle to resize (Pillow's `box=`); `nil` for the whole image.
    /// - Returns: The resized image, with the same channels.
    /// - Precondition: `size` is positive and `box` fits the image (`ResizeBox.fits`).
    public func resized(to size: PixelSize, filter: ResampleFilter, box: ResizeBox? = nil) -> Image {
        resized(to: size, filter: filter, box: box, passOrder: .pillow)
    }

    /// `resized(to:filter:box:)` with a choice of pass order for the convolution filters.
    /// - Parameters:
    ///   - size: The output size (both sides ≥ 1).
    ///   - filter: The resampling filter.
    ///   - box: The source rectangle to resize; `nil` for the whole image.
    ///   - passOrder: `.pillow` for Pillow's order (byte-exact); `.cheapest` for the order with less work.
    /// - Returns: The resized image.
    func resized(to size: PixelSize, filter: ResampleFilter, box: ResizeBox?, passOrder: ResizePassOrder) -> Image {
        precondition(size.width >= 1 && size.height >= 1, "resize to \(size): height and width must be > 0")
        let box = box ?? ResizeBox(PixelRegion(x: 0, y: 0, width: width, height: height))
        precondition(box.fits(width: width, height: height), "resize box \(box) outside the \(width)x\(height) image")
        if box.left == box.left.rounded(.towardZero) && box.top == box.top.rounded(.towardZero)
            && box.right - box.left == Float(size.width) && box.bottom - box.top == Float(size.height) {
            let region = PixelRegion(x: Int(box.left), y: Int(box.top), width: size.width, height: size.height)
            return region == PixelRegion(x: 0, y: 0, width: width, height: height) ? self : cropped(to: region)
        }
        if filter == .nearest { return nearestResized(to: size, box: box) }
        return convolutionResized(to: size, filter: filter, box: box, passOrder: passOrder)
    }

    /// Pillow's two-pass convolution resize (`ImagingResampleInner`). Pillow 13 runs the vertical pass first when the
    /// height shrinks by more than twice as many pixels as the width (`inH − outH > 0` and `> 2 · (inW − outW)`);
    /// otherwise the horizontal pass first. The order matters because the intermediate is rounded to 8 bits.
    private func convolutionResized(to size: PixelSize, filter: ResampleFilter, box: ResizeBox,
                                    passOrder: ResizePassOrder) -> Image {
        let needHorizontal = size.width != width || box.left != 0 || box.right != Float(size.width)
        let needVertical = size.height != height || box.top != 0 || box.bottom != Float(size.height)
        if !needHorizontal && !needVertical { return self }
        var horizontal = ResizeCoefficients(inputSize: width, start: box.left, end: box.right,
                                            outputSize: size.width, filter: filter)
        var vertical = ResizeCoefficients(inputSize: height, start: box.top, end: box.bottom,
                                          outputSize: size.height, filter: filter)
        let verticalFirst: Bool
        switch passOrder {
        case .pillow:
            verticalFirst = ResizePassOrder.pillowRunsVerticalFirst(from: PixelSize(width: width, height: height), to: size)
        // The horizontal pass costs several times more per output byte than the vertical one (it gathers taps
        // along a row), so it should run on as few rows as possible: after the vertical pass when that one
        // reduces the rows it reads.
        case .cheapest: verticalFirst = vertical.span.count > size.height
        }
        if needHorizontal && needVertical && verticalFirst {
            // Vertical first, on just the columns the horizontal pass reads (columns are independent).
            let columns = horizontal.span
            horizontal = horizontal.shifted(by: -columns.lowerBound)
            let band = ResampleKernels.vertical(self, columns: columns, coefficients: vertical)
            return ResampleKernels.horizontal(band, rows: 0..<band.height, coefficients: horizontal)
        }
        var current = self
        if needHorizontal {
            let rows = vertical.span
            vertical = vertical.shifted(by: -rows.lowerBound)
            current = ResampleKernels.horizontal(self, rows: rows, coefficients: horizontal)
        }
        if needVertical {
            current = ResampleKernels.vertical(current, columns: 0..<current.width, coefficients: vertical)
        }
        return current
    }
}

/// The order of the two convolution passes of a resize. The intermediate image is rounded and clipped to 8 bits, so
/// the order changes some pixels: by ±1 with bilinear, by more next to the clipped overshoot of bicubic and Lanczos
/// at hard edges (the mean stays a fraction of a level; `ResizePassOrderTests`).
enum ResizePassOrder {
    /// Pillow 13's order: vertical first only when the height shrinks by more than twice as many pixels as the width.
    case pillow
    /// Vertical first whenever it reduces the rows the horizontal pass must process (the fast decode mode's choice).
    case cheapest

    /// Pillow 13's rule: the vertical pass runs first when the height shrinks by more than twice as many pixels as
    /// the width.
    /// - Parameters:
    ///   - input: The source (or box) size.
    ///   - output: The output size.
    /// - Returns: Whether Pillow resizes vertically first.
    static func pillowRunsVerticalFirst(from input: PixelSize, to output: PixelSize) -> Bool {
        let shrinkY = input.height - output.height, shrinkX = input.width - output.width
        return shrinkY > 0 && shrinkY > 2 * shrinkX
    }
}
