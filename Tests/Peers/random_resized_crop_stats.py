"""Statistics of torchvision's RandomResizedCrop.get_params, for the Swift sampling test.

Usage: random_resized_crop_stats.py WIDTH HEIGHT DRAWS [SCALE_LOW SCALE_HIGH RATIO_LOW RATIO_HIGH]

Uses torchvision itself when it is installed; otherwise a line-by-line transcription of torchvision 0.29's
`RandomResizedCrop.get_params` (float32 uniform draws through numpy, Python's round, inclusive randint bounds).
Prints JSON: {"source", "area_mean", "area_std", "log_ratio_mean", "log_ratio_std", "fallback_fraction",
"x_center_mean", "y_center_mean", "full_fraction"} where area is w*h/(W*H), log_ratio is log(w/h), centres are
normalised to [0, 1], and "fallback" means all 10 attempts failed.
"""
import json
import math
import sys

import numpy as np


def transcribed_params(width, height, scale, ratio, rng):
    area = height * width
    log_ratio = np.log(np.asarray(ratio, dtype=np.float32))
    for _ in range(10):
        u = np.float32(rng.random(dtype=np.float32))
        target_area = area * float(np.float32(scale[0]) + (np.float32(scale[1]) - np.float32(scale[0])) * u)
        v = np.float32(rng.random(dtype=np.float32))
        aspect_ratio = float(np.exp(log_ratio[0] + (log_ratio[1] - log_ratio[0]) * v))
        w = int(round(math.sqrt(target_area * aspect_ratio)))
        h = int(round(math.sqrt(target_area / aspect_ratio)))
        if 0 < w <= width and 0 < h <= height:
            i = int(rng.integers(0, height - h + 1))
            j = int(rng.integers(0, width - w + 1))
            return i, j, h, w, False
    in_ratio = float(width) / float(height)
    if in_ratio < min(ratio):
        w = width
        h = int(round(w / min(ratio)))
    elif in_ratio > max(ratio):
        h = height
        w = int(round(h * max(ratio)))
    else:
        w = width
        h = height
    return (height - h) // 2, (width - w) // 2, h, w, True


def main():
    width, height, draws = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    scale = (float(sys.argv[4]), float(sys.argv[5])) if len(sys.argv) > 5 else (0.08, 1.0)
    ratio = (float(sys.argv[6]), float(sys.argv[7])) if len(sys.argv) > 7 else (3.0 / 4.0, 4.0 / 3.0)
    samples = []
    try:
        import torch
        from PIL import Image
        from torchvision import transforms

        torch.manual_seed(0)
        image = Image.new("L", (width, height))
        source = "torchvision"
        for _ in range(draws):
            i, j, h, w = transforms.RandomResizedCrop.get_params(image, scale, ratio)
            samples.append((i, j, h, w, None))
    except ImportError:
        rng = np.random.default_rng(0)
        source = "transcription"
        samples = [transcribed_params(width, height, scale, ratio, rng) for _ in range(draws)]
    areas = np.array([h * w / (width * height) for i, j, h, w, _ in samples])
    logs = np.array([math.log(w / h) for i, j, h, w, _ in samples])
    xs = np.array([(j + w / 2) / width for i, j, h, w, _ in samples])
    ys = np.array([(i + h / 2) / height for i, j, h, w, _ in samples])
    fallbacks = [f for *_, f in samples if f is not None]
    print(json.dumps({
        "source": source,
        "area_mean": float(areas.mean()), "area_std": float(areas.std()),
        "log_ratio_mean": float(logs.mean()), "log_ratio_std": float(logs.std()),
        "fallback_fraction": float(np.mean(fallbacks)) if fallbacks else None,
        "x_center_mean": float(xs.mean()), "y_center_mean": float(ys.mean()),
        "full_fraction": float(np.mean([h == height and w == width for i, j, h, w, _ in samples])),
    }))


if __name__ == "__main__":
    main()
