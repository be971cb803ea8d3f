"""Generates a varied JPEG corpus and Pillow's decoding of every file, for the Swift parity tests.

Usage: make_jpeg_corpus.py OUTDIR

Writes OUTDIR/<name>.jpg, OUTDIR/<name>.rgb (Pillow's convert('RGB') bytes), OUTDIR/<name>.l (convert('L') bytes)
and OUTDIR/manifest.json: [{"file", "kind", "width", "height"}]. Kinds cover sizes, qualities, every common
subsampling (4:4:4, 4:2:2, 4:2:0 from Pillow; 4:4:0 and 4:1:1 from libjpeg-turbo's cjpeg), progressive, restart
intervals, grayscale and CMYK.
"""
import io
import json
import os
import shutil
import subprocess
import sys

import numpy as np
from PIL import Image


def natural_image(rng, width, height, channels=3):
    """A smooth image with edges and noise, so every DCT coefficient band gets exercised."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = []
    for _ in range(channels):
        fx, fy, phase = rng.uniform(0.01, 0.2), rng.uniform(0.01, 0.2), rng.uniform(0, 6.3)
        channel = 128 + 90 * np.sin(fx * x + phase) * np.cos(fy * y)
        base.append(channel)
    image = np.stack(base, axis=-1)
    for _ in range(3):  # a few hard-edged rectangles
        x0, y0 = rng.integers(0, max(1, width)), rng.integers(0, max(1, height))
        image[y0:y0 + height // 3 + 1, x0:x0 + width // 3 + 1] = rng.uniform(0, 255, channels)
    image += rng.normal(0, 6, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)


def save_pillow(path, array, mode, **options):
    image = Image.fromarray(array[..., 0] if mode == "L" else array)
    if mode == "CMYK":
        image = image.convert("CMYK")
    image.save(path, "JPEG", **options)


def save_cjpeg(path, array, sample):
    ppm = path + ".ppm"
    Image.fromarray(array).save(ppm)
    subprocess.run(["cjpeg", "-quality", "90", "-sample", sample, "-outfile", path, ppm], check=True)
    os.remove(ppm)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261124)
    entries = []

    def add(kind, writer, width, height, channels=3):
        name = f"{len(entries):03d}-{kind}"
        path = os.path.join(out, name + ".jpg")
        writer(path, natural_image(rng, width, height, channels))
        with Image.open(path) as image:
            rgb = image.convert("RGB")
            gray = image.convert("L")
            assert rgb.size == (width, height)
            open(os.path.join(out, name + ".rgb"), "wb").write(rgb.tobytes())
            open(os.path.join(out, name + ".l"), "wb").write(gray.tobytes())
        entries.append({"file": name + ".jpg", "kind": kind, "width": width, "height": height})

    sizes = [(1, 1), (2, 2), (7, 9), (16, 16), (17, 33), (100, 75), (333, 250), (640, 480)]
    for width, height in sizes:
        for subsampling in (0, 1, 2):
            for quality in (30, 90):
                add(f"s{subsampling}-q{quality}", lambda p, a: save_pillow(p, a, "RGB", quality=quality,
                                                                           subsampling=subsampling), width, height)
        add("progressive", lambda p, a: save_pillow(p, a, "RGB", quality=85, progressive=True), width, height)
        add("gray", lambda p, a: save_pillow(p, a, "L", quality=80), width, height, channels=1)
        add("gray-progressive", lambda p, a: save_pillow(p, a, "L", quality=80, progressive=True), width, height, 1)
        add("cmyk", lambda p, a: save_pillow(p, a, "CMYK", quality=90), width, height)
    for quality in (5, 50, 75, 95, 100):
        add(f"q{quality}", lambda p, a: save_pillow(p, a, "RGB", quality=quality), 123, 77)
    add("restart", lambda p, a: save_pillow(p, a, "RGB", quality=90, restart_marker_blocks=2), 200, 120)
    add("optimize", lambda p, a: save_pillow(p, a, "RGB", quality=90, optimize=True), 151, 97)
    add("progressive-444", lambda p, a: save_pillow(p, a, "RGB", quality=92, subsampling=0, progressive=True), 97, 61)
    if shutil.which("cjpeg"):
        for width, height in [(1, 1), (17, 33), (100, 75), (333, 250)]:
            add("cjpeg-440", lambda p, a: save_cjpeg(p, a, "1x2,1x1,1x1"), width, height)
            add("cjpeg-411", lambda p, a: save_cjpeg(p, a, "4x1,1x1,1x1"), width, height)
    else:
        sys.exit("cjpeg (Debian libjpeg-turbo-progs) is required for the 4:4:0 and 4:1:1 cases; run scripts/setup.sh")
    json.dump(entries, open(os.path.join(out, "manifest.json"), "w"), indent=1)
    print(len(entries))


if __name__ == "__main__":
    main()
