#!/usr/bin/env python3
"""Per-operation throughput of Pillow (and torchvision's PIL Gaussian blur), for Benchmarks/AugmentBenchmark.

Run by scripts/bench-augment.sh; see Benchmarks/README.md ("Augmentation operations").

    pillow_ops.py make-set SOURCE_DIR OUT_DIR      # the 50 PNG crops both sides read
    pillow_ops.py run [--rounds N] [--ops a,b,...] PNG...

`run` decodes every file into memory first (RGB, fully loaded), then per operation makes one untimed pass (which also
sums every output byte) and N timed passes over the set; the fastest counts. It prints one line per operation,
    op=NAME images=N best_s=S img_per_s=R checksum=C
in the format AugmentBenchmark prints, so the script can compare rates and (for bit-exact ops) checksums.
The operation list and its fixed parameters must stay in step with Benchmarks/AugmentBenchmark/Operations.swift.
"""
import argparse
import os
import random
import sys
import time

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

FILL = (124, 116, 104)  # timm's img_mean fill, used by every geometric op on both sides
LARGE = (500, 375)
SMALL = (224, 224)


def solarize_add(img, add=100, thresh=128):
    """timm's auto_augment.solarize_add (a lookup table through Image.point)."""
    lut = [min(255, i + add) if i < thresh else i for i in range(256)]
    if img.mode == "RGB":
        lut = lut + lut + lut
    return img.point(lut)


def torchvision_gaussian_blur(img):
    import torch
    import torchvision.transforms.functional as F

    torch.set_num_threads(1)
    return F.gaussian_blur(img, kernel_size=[5, 5], sigma=[1.5, 1.5])


# name -> (function, which images: "all" or "large")
OPS = {
    "rotate30_bilinear": (lambda im: im.rotate(30, resample=Image.BILINEAR, fillcolor=FILL), "all"),
    "shearx0.3_bicubic": (lambda im: im.transform(im.size, Image.AFFINE, (1, 0.3, 0, 0, 1, 0),
                                                  resample=Image.BICUBIC, fillcolor=FILL), "all"),
    "translatex40_bilinear": (lambda im: im.transform(im.size, Image.AFFINE, (1, 0, 40, 0, 1, 0),
                                                      resample=Image.BILINEAR, fillcolor=FILL), "all"),
    "autocontrast": (ImageOps.autocontrast, "all"),
    "equalize": (ImageOps.equalize, "all"),
    "invert": (ImageOps.invert, "all"),
    "posterize4": (lambda im: ImageOps.posterize(im, 4), "all"),
    "solarize128": (lambda im: ImageOps.solarize(im, 128), "all"),
    "solarize_add100": (solarize_add, "all"),
    "color1.5": (lambda im: ImageEnhance.Color(im).enhance(1.5), "all"),
    "contrast1.5": (lambda im: ImageEnhance.Contrast(im).enhance(1.5), "all"),
    "brightness1.5": (lambda im: ImageEnhance.Brightness(im).enhance(1.5), "all"),
    "sharpness1.5": (lambda im: ImageEnhance.Sharpness(im).enhance(1.5), "all"),
    "grayscale": (lambda im: im.convert("L"), "all"),
    "gaussian_blur_k5_s1.5": (torchvision_gaussian_blur, "all"),
    "pillow_gaussian_blur_r1.5": (lambda im: im.filter(ImageFilter.GaussianBlur(1.5)), "all"),
    "resize224_bilinear": (lambda im: im.resize(SMALL, Image.BILINEAR), "large"),
    "resize224_bicubic": (lambda im: im.resize(SMALL, Image.BICUBIC), "large"),
    "hflip": (lambda im: im.transpose(Image.FLIP_LEFT_RIGHT), "all"),
}


def make_set(source_dir, out_dir, count=50):
    """25 500x375 and 25 224x224 crops (seeded positions) of the decode benchmark's photographs, saved as PNG."""
    names = sorted(n for n in os.listdir(source_dir) if n.startswith("bench_") and n.endswith(".jpg"))
    rng = random.Random(20261124)
    os.makedirs(out_dir, exist_ok=True)
    made = {"large": 0, "small": 0}
    for name in names:
        if made["large"] + made["small"] >= count:
            break
        img = Image.open(os.path.join(source_dir, name)).convert("RGB")
        w, h = img.size
        if made["large"] < count // 2 and w >= LARGE[0] and h >= LARGE[1]:
            kind, size = "large", LARGE
        elif made["small"] < count - count // 2 and w >= SMALL[0] and h >= SMALL[1]:
            kind, size = "small", SMALL
        else:
            continue
        x, y = rng.randint(0, w - size[0]), rng.randint(0, h - size[1])
        index = made["large"] + made["small"]
        img.crop((x, y, x + size[0], y + size[1])).save(os.path.join(out_dir, f"aug_{index:03d}_{kind}.png"))
        made[kind] += 1
    if made["large"] + made["small"] < count:
        sys.exit(f"pillow_ops.py: only {made} crops from {source_dir}")


def load(paths):
    images = []
    for path in paths:
        with Image.open(path) as f:
            img = f.convert("RGB")
        img.load()
        images.append(img)
    return images


def checksum(img):
    return int(np.asarray(img, dtype=np.uint64).sum())


def run(paths, rounds, ops):
    images = load(paths)
    for name in ops:
        fn, which = OPS[name]
        subset = images if which == "all" else [im for im in images if im.size == LARGE]
        total = 0
        for im in subset:
            total += checksum(fn(im))
        best = float("inf")
        sink = 0
        for _ in range(rounds):
            start = time.perf_counter()
            for im in subset:
                sink += fn(im).size[0]
            best = min(best, time.perf_counter() - start)
        print(f"op={name} images={len(subset)} best_s={best:.6f} img_per_s={len(subset) / best:.1f} checksum={total}",
              flush=True)
    if sink < 0:
        print(sink)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make-set")
    make.add_argument("source")
    make.add_argument("out")
    go = sub.add_parser("run")
    go.add_argument("--rounds", type=int, default=5)
    go.add_argument("--ops", default=",".join(OPS))
    go.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.command == "make-set":
        make_set(args.source, args.out)
    else:
        ops = [o for o in args.ops.split(",") if o]
        unknown = [o for o in ops if o not in OPS]
        if unknown:
            sys.exit(f"pillow_ops.py: unknown ops {unknown}")
        run(args.files, args.rounds, ops)


if __name__ == "__main__":
    main()
