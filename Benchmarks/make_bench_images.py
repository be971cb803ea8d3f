#!/usr/bin/env python3
"""Writes the decode benchmark's image set: natural colour JPEGs, 375-640 px sides, quality 90, 4:2:0.

Sources are the colour photos that scikit-image ships (no download): random crops, rescales, flips and mild
noise of them, so that each file differs while keeping the statistics of a photograph. The set is deterministic
(fixed seed), so every machine benchmarks the same bytes.

Usage: make_bench_images.py OUTPUT_DIR [--count 200] [--seed 20261124]
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image
from skimage import data

# Colour photographs bundled with scikit-image (available offline).
SOURCES = ["astronaut", "coffee", "chelsea", "rocket", "immunohistochemistry", "hubble_deep_field", "retina",
           "stereo_motorcycle"]


def load_sources():
    photos = []
    for name in SOURCES:
        value = getattr(data, name)()
        arrays = value[:2] if isinstance(value, tuple) else (value,)  # stereo_motorcycle: left, right, disparity
        for array in arrays:
            if array.ndim == 3 and array.shape[2] == 3 and array.dtype == np.uint8:
                photos.append(Image.fromarray(array))
    return photos


def make_one(photo, rng):
    """A random crop of `photo`, rescaled so both sides land in 375...640 px, maybe flipped, with mild noise."""
    target_w, target_h = int(rng.integers(375, 641)), int(rng.integers(375, 641))
    # Crop a window with the target aspect ratio covering 50-100% of the photo's limiting side.
    aspect = target_w / target_h
    fraction = rng.uniform(0.5, 1.0)
    crop_w = photo.width * fraction
    crop_h = crop_w / aspect
    if crop_h > photo.height * fraction:
        crop_h = photo.height * fraction
        crop_w = crop_h * aspect
    left = rng.uniform(0, photo.width - crop_w)
    top = rng.uniform(0, photo.height - crop_h)
    image = photo.resize((target_w, target_h), Image.Resampling.BICUBIC,
                         box=(left, top, left + crop_w, top + crop_h))
    if rng.random() < 0.5:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    pixels = np.asarray(image, dtype=np.float32)
    pixels += rng.normal(0.0, rng.uniform(0.5, 3.0), pixels.shape)
    return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), "RGB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    photos = load_sources()
    for index in range(args.count):
        image = make_one(photos[index % len(photos)], rng)
        # Pillow's defaults for RGB at quality 90: baseline, 4:2:0 subsampling, standard Huffman tables.
        image.save(os.path.join(args.output, f"bench_{index:04d}.jpg"), "JPEG", quality=90)
    print(f"wrote {args.count} JPEGs to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
