#!/usr/bin/env python3
"""Writes the precompute benchmark's small ImageFolder: ROOT/<class>/img_NNN.jpg, 3 classes, COUNT images in all.

Synthetic and deterministic (numpy + Pillow only, no download): each image is a smooth colour gradient with a few
filled shapes whose colour and kind depend on the class (red discs, blue squares, green stripes) plus mild noise,
with sides drawn from 96-192 px, saved by Pillow at quality 90 (4:2:0). Image i belongs to class i % 3 and draws from
its own generator seeded with (seed, i), so the tree is the same bytes on every machine.

Usage: make_precompute_images.py ROOT [--count 48] [--seed 20261124]
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

CLASSES = ["blue_square", "green_stripes", "red_disc"]


def make_image(index, seed):
    rng = np.random.default_rng([seed, index])
    kind = CLASSES[index % len(CLASSES)]
    width, height = (int(v) for v in rng.integers(96, 193, size=2))
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    start, end = rng.uniform(40, 215, size=(2, 3))
    t = (x / max(width - 1, 1) * 0.6 + y / max(height - 1, 1) * 0.4)[..., None]
    pixels = start * (1 - t) + end * t
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(1, 4))):
        shade = int(rng.integers(150, 256))
        colour = {"red_disc": (shade, 30, 30), "blue_square": (30, 30, shade), "green_stripes": (30, shade, 30)}[kind]
        cx, cy = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
        r = rng.uniform(0.12, 0.3) * min(width, height)
        if kind == "red_disc":
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        elif kind == "blue_square":
            draw.rectangle([cx - r, cy - r, cx + r, cy + r], fill=colour)
        else:
            for k in range(-3, 4):
                offset = k * r * 0.7
                draw.line([(0, cy + offset), (width, cy + offset - r)], fill=colour, width=max(2, int(r / 4)))
    noisy = np.asarray(image, dtype=np.float32) + rng.normal(0, rng.uniform(0.5, 3.0), size=(height, width, 3))
    return kind, Image.fromarray(np.clip(noisy.round(), 0, 255).astype(np.uint8), "RGB")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root")
    parser.add_argument("--count", type=int, default=48)
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args(argv)
    for name in CLASSES:
        os.makedirs(os.path.join(args.root, name), exist_ok=True)
    for index in range(args.count):
        kind, image = make_image(index, args.seed)
        image.save(os.path.join(args.root, kind, f"img_{index:03d}.jpg"), quality=90)
    print(f"wrote {args.count} images in {len(CLASSES)} classes to {args.root}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
