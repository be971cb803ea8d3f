"""Generates source images and Pillow's resize / crop outputs for the Swift Augment parity tests.

Usage: make_resize_corpus.py OUTDIR

Writes raw HWC uint8 bytes: OUTDIR/src-<n>.raw for every source image and OUTDIR/out-<n>.raw for every output,
plus OUTDIR/manifest.json:
  {"sources": [{"file", "width", "height", "channels"}],
   "cases": [{"kind", "source", "file", "width", "height", ...}]}
Kinds:
  resize       Image.resize((w, h), filter, box=box); keys "filter" (nearest|box|bilinear|hamming|bicubic|lanczos),
               "box" ([l, t, r, b] floats, or null)
  crop_resize  torchvision's PIL resized_crop: img.crop((j, i, j + cw, i + ch)).resize((w, h), BILINEAR);
               keys "region" ([j, i, cw, ch])
  center_crop  torchvision's F.center_crop on PIL (pad with 0 when the crop is larger, then crop at
               int(round((H - th) / 2.0)), int(round((W - tw) / 2.0))); keys "crop" ([tw, th])
"""
import json
import os
import sys

import numpy as np
from PIL import Image, ImageOps
from corpus_images import natural_image, to_pil

FILTERS = {
    "nearest": Image.Resampling.NEAREST,
    "box": Image.Resampling.BOX,
    "bilinear": Image.Resampling.BILINEAR,
    "hamming": Image.Resampling.HAMMING,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
}


def raw(image):
    return np.asarray(image, dtype=np.uint8).tobytes()


def center_crop(image, tw, th):
    """torchvision.transforms.functional.center_crop on a PIL image, written out with Pillow calls."""
    width, height = image.size
    if tw > width or th > height:
        left = (tw - width) // 2 if tw > width else 0
        top = (th - height) // 2 if th > height else 0
        right = (tw - width + 1) // 2 if tw > width else 0
        bottom = (th - height + 1) // 2 if th > height else 0
        image = ImageOps.expand(image, border=(left, top, right, bottom), fill=0)
        width, height = image.size
        if tw == width and th == height:
            return image
    top = int(round((height - th) / 2.0))
    left = int(round((width - tw) / 2.0))
    return image.crop((left, top, left + tw, top + th))


def targets(width, height):
    """Down, up, one axis unchanged, extreme ratios, and the usual training sizes."""
    sizes = {
        (1, 1), (2, 2), (max(1, width // 2), max(1, height // 2)), (max(1, width // 3), height),
        (width, max(1, height // 3)), (width * 2 + 1, height * 2 + 1), (width + 1, height),
        (width, height + 3), (1, height * 2), (width * 3, 1), (max(1, (width * 2) // 3), max(1, (height * 3) // 4)),
        (7, 5), (width, height),
    }
    if width >= 100:
        sizes |= {(224, 224), (256, 192), (33, 480), (600, 20), (width - 1, height - 1)}
    return sorted(sizes)


def boxes(width, height):
    """Fractional and whole-pixel source rectangles, as RandomResizedCrop on a DCT-scaled region produces."""
    result = [
        (0.0, 0.0, float(width), float(height)),
        (0.5, 0.25, width - 0.75, height - 0.5),
        (width / 3.0, height / 5.0, width * 0.9, height * 0.7),
        (1.0, 1.0, max(1.5, width - 1.0), max(1.5, height - 1.0)),
        (0.0, 0.0, width / 2.0, height / 2.0),
    ]
    return [b for b in result if b[2] > b[0] and b[3] > b[1] and b[2] <= width and b[3] <= height]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261124)
    sources, cases = [], []
    shapes = [(1, 1), (2, 2), (3, 7), (7, 3), (17, 13), (64, 48), (500, 375)]
    for width, height in shapes:
        for channels in (1, 3):
            array = natural_image(rng, width, height, channels)
            index = len(sources)
            name = f"src-{index}.raw"
            with open(os.path.join(out, name), "wb") as f:
                f.write(array.tobytes())
            sources.append({"file": name, "width": width, "height": height, "channels": channels})
            image = to_pil(array)

            def add(kind, result, **fields):
                file = f"out-{len(cases)}.raw"
                with open(os.path.join(out, file), "wb") as f:
                    f.write(raw(result))
                cases.append({"kind": kind, "source": index, "file": file,
                              "width": result.size[0], "height": result.size[1], **fields})

            for size in targets(width, height):
                if width * height > 10000 and size[0] * size[1] > 600 * 480:
                    continue
                for filter_name, value in FILTERS.items():
                    add("resize", image.resize(size, value), filter=filter_name, box=None)
            box_sizes = [(5, 4), (max(1, width // 2), max(1, height // 2))]
            box_sizes.append((224, 224) if width >= 100 else (width * 2, height + 1))
            for box in boxes(width, height):
                for size in box_sizes:
                    for filter_name, value in FILTERS.items():
                        add("resize", image.resize(size, value, box=box), filter=filter_name, box=list(box))
            # torchvision resized_crop (PIL): crop, then resize with BILINEAR.
            for region in [(0, 0, width, height), (width // 4, height // 3, max(1, width // 2), max(1, height // 2)),
                           (width - 1, height - 1, 1, 1)]:
                j, i, cw, ch = region
                for size in [(224, 224), (3, 5), (cw, ch)]:
                    cropped = image.crop((j, i, j + cw, i + ch))
                    add("crop_resize", cropped.resize(size, Image.Resampling.BILINEAR), region=list(region))
            for tw, th in [(1, 1), (width, height), (max(1, width - 1), max(1, height - 2)), (width + 3, height + 4),
                           (width + 2, max(1, height // 2)), (max(1, width // 2), height + 1), (224, 224), (5, 5)]:
                add("center_crop", center_crop(image, tw, th), crop=[tw, th])
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"sources": sources, "cases": cases}, f)
    print(len(cases))


if __name__ == "__main__":
    main()
