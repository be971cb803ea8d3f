#!/usr/bin/env python3
"""Writes the loader benchmark's ImageNet-like ImageFolder tree: ROOT/class_K/img_NNNNN.jpg, 10 classes.

Each class is one natural colour photograph shipped with scikit-image or scikit-learn (no download); every image
is a random crop of its class's photo, rescaled so both sides land in 375-640 px, flipped half the time, with mild
Gaussian noise (sigma 0.5-3), saved by Pillow at quality 90 (baseline, 4:2:0, Pillow's defaults). Image i belongs
to class i % 10 and draws from its own generator seeded with (seed, i), so the tree is the same bytes on every
machine whatever the number of processes writing it.

Usage: make_imagefolder.py [ROOT] [--count 2048] [--seed 20261124] [--jobs N]
ROOT defaults to ${SGID_CACHE:-~/.cache/sgidkit}/bench-imagefolder.
"""
import argparse
import multiprocessing
import os
import sys

import numpy as np
from PIL import Image

CLASSES = 10


def load_sources():
    """The 10 class photographs as RGB Pillow images (lists: a class may own several views of one scene)."""
    from skimage import data
    from sklearn.datasets import load_sample_images

    classes = []
    for name in ["astronaut", "coffee", "chelsea", "rocket", "immunohistochemistry", "hubble_deep_field", "retina",
                 "stereo_motorcycle"]:
        value = getattr(data, name)()
        arrays = value[:2] if isinstance(value, tuple) else (value,)  # stereo_motorcycle: left, right, disparity
        classes.append([Image.fromarray(array) for array in arrays])
    samples = load_sample_images()  # china.jpg, flower.jpg
    for array in samples.images:
        classes.append([Image.fromarray(np.ascontiguousarray(array))])
    for views in classes:
        for view in views:
            assert view.mode == "RGB", view.mode
    assert len(classes) == CLASSES, len(classes)
    return classes


def crop_view(photo, size, rng):
    """A random crop of `photo` with the aspect ratio of `size` (40-100% of the photo's limiting side), rescaled to
    `size` (bicubic), flipped with probability 0.5."""
    target_w, target_h = size
    aspect = target_w / target_h
    fraction = rng.uniform(0.4, 1.0)  # the crop's share of the photo's limiting side
    crop_w = photo.width * fraction
    crop_h = crop_w / aspect
    if crop_h > photo.height * fraction:
        crop_h = photo.height * fraction
        crop_w = crop_h * aspect
    left = rng.uniform(0, photo.width - crop_w)
    top = rng.uniform(0, photo.height - crop_h)
    image = photo.resize((target_w, target_h), Image.Resampling.BICUBIC, box=(left, top, left + crop_w, top + crop_h))
    if rng.random() < 0.5:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return image


def make_one(photo, rng):
    """A random crop of `photo`, rescaled so both sides land in 375...640 px, maybe flipped, with mild noise."""
    size = int(rng.integers(375, 641)), int(rng.integers(375, 641))
    pixels = np.asarray(crop_view(photo, size, rng), dtype=np.float32)
    pixels += rng.normal(0.0, rng.uniform(0.5, 3.0), pixels.shape).astype(np.float32)
    return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), "RGB")


_SOURCES = None


def source_photo(seed, index):
    """Image `index`'s class, its own generator (seeded with (seed, index)) and the source view it starts from,
    drawn first from that generator. The photographs are loaded once per process."""
    global _SOURCES
    if _SOURCES is None:
        _SOURCES = load_sources()
    label = index % CLASSES
    rng = np.random.default_rng([seed, index])
    views = _SOURCES[label]
    return label, rng, views[int(rng.integers(len(views)))]


def _write(job):
    root, seed, index = job
    label, rng, photo = source_photo(seed, index)
    image = make_one(photo, rng)
    path = os.path.join(root, f"class_{label}", f"img_{index:05d}.jpg")
    image.save(path, "JPEG", quality=90)
    return os.path.getsize(path), image.width * image.height


def write_tree(default_root, default_count, count_help, default_seed, write, chunksize):
    """The generators' command line: parses ROOT, --count, --seed and --jobs, makes the class folders and calls
    `write((root, seed, index))` for every image, in `--jobs` processes. Returns the arguments and the results."""
    cache = os.environ.get("SGID_CACHE") or os.path.expanduser("~/.cache/sgidkit")
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=os.path.join(cache, default_root))
    parser.add_argument("--count", type=int, default=default_count, help=count_help)
    parser.add_argument("--seed", type=int, default=default_seed)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    for label in range(CLASSES):
        os.makedirs(os.path.join(args.root, f"class_{label}"), exist_ok=True)
    jobs = [(args.root, args.seed, index) for index in range(args.count)]
    if args.jobs > 1:
        with multiprocessing.Pool(args.jobs) as pool:
            return args, pool.map(write, jobs, chunksize=chunksize)
    return args, [write(job) for job in jobs]


def main():
    args, results = write_tree("bench-imagefolder", 2048, "images in all (default 2048 = 32 batches of 64)", 20261124,
                               _write, chunksize=32)
    total_bytes = sum(size for size, _ in results)
    mean_kpx = sum(pixels for _, pixels in results) / len(results) / 1000
    print(f"wrote {args.count} JPEGs in {CLASSES} classes to {args.root} "
          f"({total_bytes / 1e6:.1f} MB, mean {mean_kpx:.0f} kpx)", file=sys.stderr)


if __name__ == "__main__":
    main()
