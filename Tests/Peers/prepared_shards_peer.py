"""Checks prepared shards (`sgid shards create --max-side N`) against Pillow, reading them with the live webdataset.

Usage: prepared_shards_peer.py MAX_SIDE QUALITY SOURCE_ROOT SHARD...

For every sample that `wds.WebDataset` yields, the source file SOURCE_ROOT/KEY.EXT is opened with Pillow, converted as
the loader decodes it (`convert('L')` for a gray file, else `convert('RGB')`), and shrunk with
`Image.thumbnail((N, N), Image.BICUBIC, reducing_gap=None)` (which is `Image.resize(size, Image.BICUBIC)` at
thumbnail's aspect-keeping size). One JSON line per sample:
  key, ext, source_size, pillow_size, ours_size (our image part decoded by Pillow), identical (our part's bytes equal
  the source file's), json (our .json part parsed, or null),
  and, for a resized image: equal_pixels (PNG: our decoded pixels equal Pillow's resize),
  jpeg_mean/jpeg_max (JPEG: mean and max |ours - Pillow's resize saved at QUALITY, 4:2:0, and decoded|),
  resize_mean (JPEG: mean |ours decoded - Pillow's resize before encoding|).
"""

import io
import json
import os
import sys
import warnings

import numpy as np
import webdataset as wds
from PIL import Image


def loaded(image):
    return image.convert("L" if image.mode in ("L", "I;16", "I", "1") else "RGB")


def main():
    warnings.simplefilter("ignore")
    max_side, quality, root = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    for url in sys.argv[4:]:
        for sample in wds.WebDataset(url, shardshuffle=False, empty_check=False):
            key = sample["__key__"]
            ext = next(e for e in ("jpg", "jpeg", "png") if e in sample)
            ours_bytes = sample[ext]
            source_path = os.path.join(root, key + "." + ext)
            with open(source_path, "rb") as handle:
                source_bytes = handle.read()
            source = loaded(Image.open(io.BytesIO(source_bytes)))
            thumb = source.copy()
            thumb.thumbnail((max_side, max_side), Image.BICUBIC, reducing_gap=None)
            resized = source.resize(thumb.size, Image.BICUBIC) if thumb.size != source.size else source
            assert np.array_equal(np.asarray(thumb), np.asarray(resized))
            ours = loaded(Image.open(io.BytesIO(ours_bytes)))
            line = {"key": key, "ext": ext, "source_size": list(source.size), "pillow_size": list(thumb.size),
                    "ours_size": list(ours.size), "identical": ours_bytes == source_bytes,
                    "json": json.loads(sample["json"]) if "json" in sample else None}
            if ours.size == thumb.size != source.size:
                mine = np.asarray(ours).astype(np.int32)
                if ext == "png":
                    line["equal_pixels"] = bool(np.array_equal(mine, np.asarray(thumb)))
                else:
                    buffer = io.BytesIO()
                    thumb.save(buffer, "JPEG", quality=quality)
                    theirs = np.asarray(loaded(Image.open(buffer))).astype(np.int32)
                    line["jpeg_mean"] = float(np.abs(mine - theirs).mean())
                    line["jpeg_max"] = int(np.abs(mine - theirs).max())
                    line["resize_mean"] = float(np.abs(mine - np.asarray(thumb).astype(np.int32)).mean())
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
