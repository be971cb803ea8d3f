#!/usr/bin/env python3
"""timm's RandAugment on PIL images, one thread, for Benchmarks/AugmentBenchmark's RandAugment row.

Run by scripts/bench-augment.sh; see Benchmarks/README.md ("Augmentation operations").

    timm_randaugment.py [--rounds N] [--config rand-m9-n2-mstd0.5] PNG...

Decodes every file into memory first (RGB, fully loaded), builds
`rand_augment_transform(CONFIG, hparams=dict(img_mean=(124, 116, 104)))`, seeds Python's and NumPy's generators,
makes one untimed pass and N timed passes applying it 4 times to every image; the fastest pass counts. Prints
    op=randaugment images=N best_s=S img_per_s=R checksum=0
(no checksum: the two sides draw different random operations).
"""
import argparse
import random
import time

import numpy as np
from PIL import Image
from timm.data.auto_augment import rand_augment_transform

COPIES = 4  # augmentations of each image per pass (as AugmentBenchmark), so the random op mix varies little by pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--config", default="rand-m9-n2-mstd0.5")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    images = []
    for path in args.files:
        with Image.open(path) as f:
            img = f.convert("RGB")
        img.load()
        images.append(img)
    transform = rand_augment_transform(args.config, hparams=dict(img_mean=(124, 116, 104)))
    random.seed(20261124)
    np.random.seed(20261124)
    sink = 0
    for im in images:
        sink += transform(im).size[0]
    best = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _ in range(COPIES):
            for im in images:
                sink += transform(im).size[0]
        best = min(best, time.perf_counter() - start)
    count = COPIES * len(images)
    print(f"op=randaugment images={count} best_s={best:.6f} img_per_s={count / best:.1f} checksum=0",
          flush=True)
    if sink < 0:
        print(sink)


if __name__ == "__main__":
    main()
