"""Writes one WebDataset shard of mixed samples with webdataset's own TarWriter, as the webdataset project's test
shards mix them: a `__meta__.json` sample, image samples with labels, text-only `.txt.gz` samples and `.ten` tensor
samples (webdataset's tenbin encoding, via its default encoder).

Usage: wds_mixed_shard.py OUT.tar
Prints a JSON object: {"images": number of samples with an image, "others": number without}.
"""

import gzip
import io
import json
import sys

import numpy
import webdataset as wds
from PIL import Image


def png(number):
    image = Image.new("RGB", (10, 8), ((number * 40) % 256, 90, 160))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def main():
    images = others = 0
    with wds.TarWriter(sys.argv[1], encoder=True, mtime=0) as sink:
        sink.write({"__key__": "__meta__", "json": {"shards": 1, "note": "not a sample"}})
        others += 1
        for number in range(12):
            key = f"{number:06d}"
            if number % 3 == 0:
                sink.write({"__key__": key, "png": png(number), "cls": number % 4})
                images += 1
            elif number % 3 == 1:
                sink.write({"__key__": key, "txt.gz": gzip.compress(f"text only {number}".encode(), mtime=0)})
                others += 1
            else:
                sink.write({"__key__": key, "ten": numpy.arange(number * 3, dtype=numpy.float32).reshape(number, 3)})
                others += 1
    print(json.dumps({"images": images, "others": others}))


if __name__ == "__main__":
    main()
