#!/usr/bin/env python3
"""Writes the loader benchmark's second, high-entropy ImageNet-like ImageFolder tree: ROOT/class_K/img_NNNNN.jpg.

Issue 16, item 2: the first set (make_imagefolder.py) is mild-noise crops at 375-640 px, ~57 kB per file, and every
ratio was measured on it alone. This set is what photographs from a camera look like to a decoder: the same 10
class photographs (scikit-image / scikit-learn, no download), cropped and rescaled, then given sensor-like noise at
the output resolution (luminance noise sigma 1.5-4.5 on the 0-255 scale, weaker chroma noise, a little fine grain
texture), so the entropy decoder has about as many non-zero coefficients as in real photos. Sizes are wider than the
first set's: most images have sides of 250-1000 px (three quarters of them 375-640 px, as ImageNet's typical
500x375), and every 32nd image is a 2-12 Mpx photograph (3:2, 4:3, 16:9 or portrait), which is where a loader's
decode scale choice and memory matter. Quality 85-95, baseline 4:2:0 (Pillow's defaults at these qualities).

Image i belongs to class i % 10 and draws from its own generator seeded with (seed, i), so the tree is the same bytes
on every machine whatever the number of processes writing it.

Usage: make_entropy_imagefolder.py [ROOT] [--count 512] [--seed 20261207] [--jobs N]
ROOT defaults to ${SGID_CACHE:-~/.cache/sgidkit}/bench-imagefolder-entropy.
"""
import os
import sys

import numpy as np
from PIL import Image

from make_imagefolder import CLASSES, crop_view, source_photo, write_tree

BIG_EVERY = 32  # every 32nd image is a 2-12 Mpx photograph (16 of 512)


def target_size(index, rng):
    """(width, height): 2-12 Mpx for every BIG_EVERY-th image, else mostly 375-640 px sides, some 250-1000 px."""
    if index % BIG_EVERY == BIG_EVERY - 1:
        megapixels = rng.uniform(2.0, 12.0)
        aspect = [3 / 2, 4 / 3, 16 / 9, 2 / 3, 3 / 4][int(rng.integers(5))]
        height = (megapixels * 1e6 / aspect) ** 0.5
        return int(round(height * aspect)), int(round(height))
    if rng.random() < 0.75:
        return int(rng.integers(375, 641)), int(rng.integers(375, 641))
    return int(rng.integers(250, 1001)), int(rng.integers(250, 1001))


def make_one(photo, size, rng):
    """A random crop of `photo` rescaled to `size`, maybe flipped, with sensor-like noise at the output resolution."""
    image = crop_view(photo, size, rng)
    pixels = np.asarray(image, dtype=np.float32)
    shape = pixels.shape[:2]
    # Sensor noise: mostly luminance (shot + read noise, brighter pixels noisier), weaker per-channel chroma noise.
    sigma = rng.uniform(1.5, 4.5)
    luma = rng.standard_normal(shape, dtype=np.float32) * sigma * (0.6 + 0.4 * pixels.mean(axis=2) / 255)
    chroma = rng.standard_normal(pixels.shape, dtype=np.float32) * (sigma * 0.35)
    # Fine grain texture (2x2-pixel blobs), as detail an upscaled source photo lacks.
    grain = rng.standard_normal(((shape[0] + 1) // 2, (shape[1] + 1) // 2), dtype=np.float32) * (sigma * 0.5)
    grain = np.repeat(np.repeat(grain, 2, axis=0), 2, axis=1)[: shape[0], : shape[1]]
    pixels += (luma + grain)[:, :, None] + chroma
    return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), "RGB")


def _write(job):
    root, seed, index = job
    label, rng, photo = source_photo(seed, index)
    size = target_size(index, rng)
    image = make_one(photo, size, rng)
    quality = int(rng.integers(85, 96))
    path = os.path.join(root, f"class_{label}", f"img_{index:05d}.jpg")
    image.save(path, "JPEG", quality=quality)  # baseline, 4:2:0 (Pillow's default for RGB), standard tables
    return os.path.getsize(path), image.width * image.height, index % BIG_EVERY == BIG_EVERY - 1


def main():
    args, results = write_tree("bench-imagefolder-entropy", 512, "images in all (default 512 = 8 batches of 64)",
                               20261207, _write, chunksize=8)
    small = [(size, pixels) for size, pixels, big in results if not big]
    big = [(size, pixels) for size, pixels, big in results if big]
    total_bytes = sum(size for size, _, _ in results)
    print(f"wrote {args.count} JPEGs in {CLASSES} classes to {args.root} ({total_bytes / 1e6:.1f} MB): "
          f"{len(small)} of mean {sum(p for _, p in small) / max(len(small), 1) / 1000:.0f} kpx, "
          f"{sum(s for s, _ in small) / max(len(small), 1) / 1000:.0f} kB; "
          f"{len(big)} of 2-12 Mpx, mean {sum(p for _, p in big) / max(len(big), 1) / 1e6:.1f} Mpx, "
          f"{sum(s for s, _ in big) / max(len(big), 1) / 1e6:.2f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
