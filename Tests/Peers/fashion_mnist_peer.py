"""Python's own reading of Fashion-MNIST (gzip + numpy on the IDX files) against what `sgid datasets import` wrote.

Usage:
  fashion_mnist_peer.py check-folder SOURCE SPLIT DIR   every PNG of the ImageFolder DIR (CLASS/SPLIT_INDEX.png):
                                                        its pixels equal image INDEX, its folder the class of label INDEX
  fashion_mnist_peer.py check-shards SOURCE SPLIT GLOB  every sample of the shards, read with webdataset: .png pixels,
                                                        .cls label and .json class/index/split
Prints {"checked": N, "mismatches": [...], "indices": [...]} as JSON.
"""

import glob
import gzip
import io
import json
import os
import sys

import numpy as np
from PIL import Image

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def idx(path):
    with gzip.open(path, "rb") as handle:
        raw = handle.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(source, split):
    prefix = "train" if split == "train" else "t10k"
    return idx(f"{source}/{prefix}-images-idx3-ubyte.gz"), idx(f"{source}/{prefix}-labels-idx1-ubyte.gz")


def check_folder(source, split, directory):
    images, labels = load(source, split)
    mismatches, indices = [], []
    for path in sorted(glob.glob(os.path.join(directory, "*", "*.png"))):
        folder, name = os.path.basename(os.path.dirname(path)), os.path.basename(path)
        index = int(name.split("_")[1].split(".")[0])
        indices.append(index)
        pixels = np.asarray(Image.open(path))
        if pixels.shape != (28, 28) or not np.array_equal(pixels, images[index]):
            mismatches.append(f"{path}: pixels")
        if folder != CLASSES[labels[index]].replace("/", "_"):
            mismatches.append(f"{path}: class {folder} vs {CLASSES[labels[index]]}")
    print(json.dumps({"checked": len(indices), "mismatches": mismatches, "indices": indices}))


def check_shards(source, split, pattern):
    import webdataset as wds

    images, labels = load(source, split)
    mismatches, indices = [], []
    for sample in wds.WebDataset(sorted(glob.glob(pattern)), shardshuffle=False):
        meta = json.loads(sample["json"])
        index = meta["index"]
        indices.append(index)
        pixels = np.asarray(Image.open(io.BytesIO(sample["png"])))
        if not np.array_equal(pixels, images[index]):
            mismatches.append(f"{sample['__key__']}: pixels")
        if int(sample["cls"]) != labels[index] or meta["class"] != CLASSES[labels[index]] or meta["split"] != split:
            mismatches.append(f"{sample['__key__']}: label {sample['cls']!r} {meta}")
        if sample["__key__"] != f"{split}_{index:05d}":
            mismatches.append(f"{sample['__key__']}: key")
    print(json.dumps({"checked": len(indices), "mismatches": mismatches, "indices": indices}))


if __name__ == "__main__":
    {"check-folder": check_folder, "check-shards": check_shards}[sys.argv[1]](*sys.argv[2:])
