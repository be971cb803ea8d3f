"""Generates source images and Pillow's / torchvision's outputs of the pixel operations for the Swift parity tests.

Usage: make_operation_corpus.py OUTDIR

Writes raw HWC uint8 bytes: OUTDIR/src-<n>.raw per source image and OUTDIR/out-<n>.raw per output, plus
OUTDIR/manifest.json:
  {"peer": "torchvision <version>" | "pillow-only",
   "sources": [{"file", "width", "height", "channels"}],
   "cases": [{"op", "source", "file", "width", "height", "channels", ...parameters}]}
Ops and their parameters (the peer call in brackets):
  affine        matrix [a..f], resample, fill        [img.transform((width, height), AFFINE, matrix, resample, fillcolor=fill)]
  rotate        angle, resample, center|null, fill, expand
                [img.rotate(angle, resample, expand, center=center, fillcolor=fill); with expand and torchvision
                 installed, half the cases through torchvision F.rotate(img, angle, mode, expand, center, fill)]
  color, contrast, brightness, sharpness  factor     [ImageEnhance.<Op>(img).enhance(factor)]
  smooth                                             [img.filter(ImageFilter.SMOOTH)]
  pil_gaussian_blur  radius                         [img.filter(ImageFilter.GaussianBlur(radius)), timm's blur]
  autocontrast, equalize, invert                     [ImageOps.<op>(img)]
  posterize bits · solarize threshold                [ImageOps.posterize / solarize]
  solarize_add  add, threshold                       [timm's solarize_add: a 256-entry LUT through img.point]
  grayscale     output_channels                      [torchvision F.rgb_to_grayscale: convert('L'), dstack]
  pad           padding [l, t, r, b], mode, fill     [torchvision F.pad (PIL)]
  crop          box [left, top, width, height]       [img.crop((l, t, l + w, t + h))]
  tv_affine     angle, translate, scale, shear, center, resample, fill  [torchvision F.affine (PIL)] (torchvision only)
  gaussian_blur kernel [kx, ky], sigma [sx, sy]      [torchvision F.gaussian_blur on the PIL image] (torchvision only)
  hue           factor                               [torchvision F.adjust_hue (PIL)]
  color_jitter  order [names], factors {name: f}     [torchvision F.adjust_* (PIL) in that order]
"""
import json
import os
import sys

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps
from corpus_images import natural_image, to_pil

try:
    import torchvision
    import torchvision.transforms.functional as TF
    from torchvision.transforms import InterpolationMode
    PEER = f"torchvision {torchvision.__version__}"
    TV_MODES = {"nearest": InterpolationMode.NEAREST, "bilinear": InterpolationMode.BILINEAR,
                "bicubic": InterpolationMode.BICUBIC}
except ImportError:  # the light environment: Pillow only
    TF = None
    PEER = "pillow-only"

RESAMPLE = {"nearest": Image.Resampling.NEAREST, "bilinear": Image.Resampling.BILINEAR,
            "bicubic": Image.Resampling.BICUBIC}


def low_contrast(rng, width, height, channels):
    """A narrow-range image (autocontrast and equalize have work to do)."""
    return (natural_image(rng, width, height, channels) // 5 + 60).astype(np.uint8)


def fill_for(fill, channels):
    """Pillow fillcolor: an int for L, a tuple for RGB."""
    if channels == 1:
        return fill[0]
    return tuple(fill) if len(fill) == channels else tuple([fill[0]] * channels)


def solarize_add(image, add, threshold):
    lut = [min(255, i + add) if i < threshold else i for i in range(256)]
    if image.mode == "RGB":
        lut = lut * 3
    return image.point(lut)


def grayscale(image, output_channels):
    if TF is not None:
        return TF.rgb_to_grayscale(image, num_output_channels=output_channels)
    gray = image.convert("L")
    if output_channels == 1:
        return gray
    return Image.fromarray(np.dstack([np.asarray(gray)] * 3), "RGB")


def pad(image, padding, mode, fill):
    if TF is not None:
        return TF.pad(image, padding, fill=fill_for(fill, len(image.getbands())), padding_mode=mode)
    left, top, right, bottom = padding
    if mode == "constant":
        return ImageOps.expand(image, border=tuple(padding), fill=fill_for(fill, len(image.getbands())))
    array = np.asarray(image)
    widths = ((top, bottom), (left, right)) + (((0, 0),) if array.ndim == 3 else ())
    return Image.fromarray(np.pad(array, widths, mode))


def adjust_hue(image, factor):
    if TF is not None:
        return TF.adjust_hue(image, factor)
    if image.mode == "L":
        return image
    h, s, v = image.convert("HSV").split()
    np_h = np.array(h, dtype=np.uint8)
    np_h += np.int32(factor * 255).astype(np.uint8)
    return Image.merge("HSV", (Image.fromarray(np_h, "L"), s, v)).convert(image.mode)


def jitter(image, order, factors):
    for name in order:
        f = factors[name]
        if name == "brightness":
            image = ImageEnhance.Brightness(image).enhance(f)
        elif name == "contrast":
            image = ImageEnhance.Contrast(image).enhance(f)
        elif name == "saturation":
            image = ImageEnhance.Color(image).enhance(f)
        else:
            image = adjust_hue(image, f)
    return image


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261124)
    sources, cases = [], []
    shapes = [(1, 1), (2, 2), (3, 7), (7, 3), (17, 13), (40, 40), (64, 48), (97, 131)]
    for width, height in shapes:
        for channels in (1, 3):
            for maker in (natural_image, low_contrast) if width * height >= 100 else (natural_image,):
                array = maker(rng, width, height, channels)
                index = len(sources)
                name = f"src-{index}.raw"
                with open(os.path.join(out, name), "wb") as f:
                    f.write(array.tobytes())
                sources.append({"file": name, "width": width, "height": height, "channels": channels})
                image = to_pil(array)
                generate(rng, image, index, width, height, channels, out, cases)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"peer": PEER, "sources": sources, "cases": cases}, f)
    print(len(cases))


def generate(rng, image, index, width, height, channels, out, cases):
    def add(op, result, **fields):
        file = f"out-{len(cases)}.raw"
        array = np.asarray(result, dtype=np.uint8)
        with open(os.path.join(out, file), "wb") as f:
            f.write(array.tobytes())
        cases.append({"op": op, "source": index, "file": file, "width": result.size[0], "height": result.size[1],
                      "channels": 1 if array.ndim == 2 else array.shape[2], **fields})

    def random_fill():
        return [int(v) for v in rng.integers(0, 256, 3)] if rng.random() < 0.7 else [int(rng.integers(0, 256))]

    # Rotate: shortcut angles, small and large angles, every filter, fills, explicit centres.
    angles = [0, 90, 180, 270, -90, 360, 450, 45, -30, 12.5, 1e-3]
    angles += [float(a) for a in rng.uniform(-180, 180, 6)]
    for angle in angles:
        for resample in RESAMPLE:
            fill = random_fill()
            center = None if rng.random() < 0.7 else [float(rng.uniform(0, width)), float(rng.uniform(0, height))]
            result = image.rotate(angle, RESAMPLE[resample], center=tuple(center) if center else None,
                                  fillcolor=fill_for(fill, channels))
            add("rotate", result, angle=angle, resample=resample, center=center, fill=fill, expand=False)
    # Rotate with expand=True: the output grows to the rotated corners' bounding box (quarter turns transpose).
    # Its own generator, so the cases after it draw what they drew before these were added.
    erng = np.random.default_rng([15, index])
    expand_angles = [0, 90, 180, 270, -90, 450, 45, -30, 12.5, 1e-3, 89.9, 135, -179.5]
    expand_angles += [float(a) for a in erng.uniform(-180, 180, 6)]
    for number, angle in enumerate(expand_angles):
        for resample in RESAMPLE:
            fill = [int(v) for v in erng.integers(0, 256, 3)] if erng.random() < 0.7 else [int(erng.integers(0, 256))]
            center = None if erng.random() < 0.7 else [float(erng.uniform(0, width)), float(erng.uniform(0, height))]
            if TF is not None and number % 2 == 1:
                result = TF.rotate(image, angle, interpolation=TV_MODES[resample], expand=True,
                                   center=[int(round(c)) for c in center] if center else None,
                                   fill=[float(v) for v in fill] if len(fill) == 3 and channels == 3 else float(fill[0]))
                center = [float(int(round(c))) for c in center] if center else None
                fill = fill if len(fill) == 3 and channels == 3 else [fill[0]]
            else:
                result = image.rotate(angle, RESAMPLE[resample], True, center=tuple(center) if center else None,
                                      fillcolor=fill_for(fill, channels))
            add("rotate", result, angle=angle, resample=resample, center=center, fill=fill, expand=True)
    # Affine: shears and translations as timm/torchvision build them, scalings, flips and general matrices.
    matrices = []
    for _ in range(4):
        m = float(rng.uniform(-0.99, 0.99))
        matrices += [[1, m, 0, 0, 1, 0], [1, 0, 0, m, 1, 0]]
        t = float(rng.uniform(-0.45, 0.45) * width)
        matrices += [[1, 0, t, 0, 1, 0], [1, 0, 0, 0, 1, float(rng.uniform(-0.45, 0.45) * height)]]
        matrices += [[1, 0, float(int(t)), 0, 1, float(int(rng.uniform(-10, 10)))]]
    matrices += [[0.5, 0, 1.25, 0, 1.5, -2], [-1, 0, width, 0, 1, 0], [1.3, 0.2, -3, -0.4, 0.9, 5]]
    matrices += [[float(v) for v in rng.uniform(-1.5, 1.5, 6) * [1, 1, width, 1, 1, height]] for _ in range(3)]
    for matrix in matrices:
        for resample in RESAMPLE:
            fill = random_fill()
            result = image.transform(image.size, Image.Transform.AFFINE, matrix, RESAMPLE[resample],
                                     fillcolor=fill_for(fill, channels))
            add("affine", result, matrix=matrix, resample=resample, fill=fill)
    # Affine into another output size (Pillow transform's size argument).
    for matrix in ([1, 0.25, -1, 0.1, 1, 2], [0.75, 0, 0, 0, 1.25, 0]):
        for resample in RESAMPLE:
            fill = random_fill()
            size = (width + 3, max(1, height - 1))
            result = image.transform(size, Image.Transform.AFFINE, matrix, RESAMPLE[resample], fillcolor=fill_for(fill, channels))
            add("affine", result, matrix=matrix, resample=resample, fill=fill)
    # Enhancers: factors as RandAugment (0.1…1.9), TrivialAugment (0.01…1.99) and extrapolation draw them.
    factors = [0.0, 1.0, 0.5, 1.9, 2.5, -0.3] + [float(f) for f in rng.uniform(0.01, 1.99, 4)]
    for factor in factors:
        add("color", ImageEnhance.Color(image).enhance(factor), factor=factor)
        add("contrast", ImageEnhance.Contrast(image).enhance(factor), factor=factor)
        add("brightness", ImageEnhance.Brightness(image).enhance(factor), factor=factor)
        add("sharpness", ImageEnhance.Sharpness(image).enhance(factor), factor=factor)
    add("smooth", image.filter(ImageFilter.SMOOTH))
    for radius in (0.1, 0.3, 0.75, 1.0, 1.525, 2.0, 3.7, 10.0):
        add("pil_gaussian_blur", image.filter(ImageFilter.GaussianBlur(radius)), radius=radius)
    add("autocontrast", ImageOps.autocontrast(image))
    add("equalize", ImageOps.equalize(image))
    add("invert", ImageOps.invert(image))
    for bits in range(1, 9):
        add("posterize", ImageOps.posterize(image, bits), bits=bits)
    for threshold in [0, 1, 64, 128, 200, 255, 256]:
        add("solarize", ImageOps.solarize(image, threshold), threshold=threshold)
    for addition, threshold in [(0, 128), (110, 128), (37, 128), (128, 200), (20, 0), (255, 256)]:
        add("solarize_add", solarize_add(image, addition, threshold), add=addition, threshold=threshold)
    for output_channels in (1, 3):
        add("grayscale", grayscale(image, output_channels), output_channels=output_channels)
    # Pad and crop.
    for mode in ("constant", "edge", "reflect", "symmetric"):
        for padding in ([0, 0, 0, 0], [1, 2, 3, 4], [5, 0, 0, 2],
                        [int(v) for v in rng.integers(0, 2 * max(width, height) + 2, 4)]):
            if mode == "reflect" and (width < 2 and (padding[0] or padding[2]) or height < 2 and (padding[1] or padding[3])):
                continue
            fill = random_fill()
            add("pad", pad(image, padding, mode, fill), padding=padding, mode=mode, fill=fill)
    for box in ([0, 0, width, height], [1, 1, max(1, width - 2), max(1, height - 2)], [-3, -2, width + 5, 4],
                [width // 2, height // 3, width, height], [-1, -1, 1, 1]):
        left, top, w, h = box
        add("crop", image.crop((left, top, left + w, top + h)), box=box)
    # Hue and ColorJitter.
    for factor in [0.0, 0.5, -0.5, 0.1, -0.25] + [float(f) for f in rng.uniform(-0.5, 0.5, 3)]:
        add("hue", adjust_hue(image, factor), factor=factor)
    names = ["brightness", "contrast", "saturation", "hue"]
    for _ in range(6):
        order = [names[i] for i in rng.permutation(4)]
        factors = {"brightness": float(np.float32(rng.uniform(0.6, 1.4))),
                   "contrast": float(np.float32(rng.uniform(0.6, 1.4))),
                   "saturation": float(np.float32(rng.uniform(0.6, 1.4))),
                   "hue": float(np.float32(rng.uniform(-0.1, 0.1)))}
        add("color_jitter", jitter(image, order, factors), order=order, factors=factors)
    # torchvision F.affine (PIL): RandomAffine draws and RandAugment's shear/translate/rotate calls (torchvision only).
    if TF is not None:
        import math
        from torchvision.transforms import InterpolationMode
        modes = {"nearest": InterpolationMode.NEAREST, "bilinear": InterpolationMode.BILINEAR,
                 "bicubic": InterpolationMode.BICUBIC}
        calls = [(0.0, [0, 0], 1.0, [math.degrees(math.atan(0.3)), 0.0], [0.0, 0.0]),
                 (0.0, [0, 0], 1.0, [0.0, math.degrees(math.atan(-0.2))], [0.0, 0.0]),
                 (0.0, [int(0.3 * width), 0], 1.0, [0.0, 0.0], None), (0.0, [0, -3], 1.0, [0.0, 0.0], None)]
        for _ in range(4):
            calls.append((float(np.float32(rng.uniform(-45, 45))), [int(rng.integers(-5, 6)), int(rng.integers(-5, 6))],
                          float(np.float32(rng.uniform(0.7, 1.3))),
                          [float(np.float32(rng.uniform(-20, 20))), float(np.float32(rng.uniform(-10, 10)))], None))
        for angle, translate, scale, shear, center in calls:
            for resample in modes:
                fill = random_fill()
                result = TF.affine(image, angle=angle, translate=translate, scale=scale, shear=shear,
                                   interpolation=modes[resample], fill=[float(v) for v in fill] if len(fill) == 3 and channels == 3
                                   else float(fill[0]), center=center)
                add("tv_affine", result, angle=angle, translate=translate, scale=scale, shear=shear, center=center,
                    resample=resample, fill=fill if len(fill) == 3 and channels == 3 else [fill[0]])
    # GaussianBlur: torchvision only (torch's reflect padding needs kernel // 2 < the image's sides).
    if TF is not None:
        for kernel in ([3, 3], [5, 5], [9, 9], [3, 7], [23, 23]):
            if kernel[0] // 2 >= width or kernel[1] // 2 >= height:
                continue
            if width * height > 64 * 48 and kernel[0] * kernel[1] > 25:
                continue  # keeps the debug-build test fast; large kernels run on the smaller images
            for sigma in ([0.1, 0.1], [1.0, 1.0], [float(np.float32(rng.uniform(0.1, 2.0)))] * 2, [0.7, 1.6]):
                add("gaussian_blur", TF.gaussian_blur(image, kernel, sigma), kernel=kernel, sigma=sigma)


if __name__ == "__main__":
    main()
