"""Iterates WebDataset shards with the live `webdataset` package and prints one JSON line per sample.

Usage: wds_dump.py URL...

Each line: {"shard": URL, "peer": how it was read, "key": __key__, "url": __url__, "parts": {extension: sha256},
"decoded": {extension: value or {"error": message}}} where `decoded` holds the integer (cls, cls2, index, inx, id)
and text (txt, text) parts, possibly gzipped, as webdataset's default decoder returns them.
When the peer raises, a line {"shard": URL, "peer": …, "error": message} ends that shard.
Plain and gzip shards (and pipe: URLs) are read with `wds.WebDataset(url, shardshuffle=False)` without decoding;
`.zst` shards, which Python's tarfile cannot open, are decompressed with `zstandard` and fed to the same
`tar_file_expander` + `group_by_keys` stages the WebDataset pipeline uses.
"""

import hashlib
import io
import json
import sys
import warnings

import webdataset as wds
import zstandard
from webdataset import tariterators


# Fields decoded with webdataset's default decoder (gunzip first, then by the last extension component).
DECODED = {"cls", "cls2", "index", "inx", "id", "txt", "text"}
DECODER = wds.autodecode.Decoder([])


def samples(url):
    if url.endswith(".zst") and not url.startswith("pipe:"):
        with open(url, "rb") as compressed:
            data = zstandard.ZstdDecompressor().stream_reader(compressed).read()
        files = tariterators.tar_file_expander([{"url": url, "stream": io.BytesIO(data)}])
        return "tariterators.group_by_keys", tariterators.group_by_keys(files)
    return "wds.WebDataset", iter(wds.WebDataset(url, shardshuffle=False, empty_check=False))


def main():
    warnings.simplefilter("ignore")
    out = sys.stdout
    for url in sys.argv[1:]:
        peer = "?"
        try:
            peer, iterator = samples(url)
            for sample in iterator:
                parts = {k: hashlib.sha256(v).hexdigest() for k, v in sample.items()
                         if k not in ("__key__", "__url__", "__local_path__")}
                decoded = {}
                for k, v in sample.items():
                    base = k[:-3] if k.endswith(".gz") else k
                    if base.split(".")[-1] in DECODED and not k.startswith("__"):
                        try:
                            value = DECODER.decode1(k, v)
                        except Exception as error:
                            decoded[k] = {"error": f"{type(error).__name__}: {error}"}
                            continue
                        if not isinstance(value, bytes):  # bytes: no decoder claimed the field
                            decoded[k] = value
                out.write(json.dumps({"shard": url, "peer": peer, "key": sample["__key__"], "url": sample["__url__"],
                                      "parts": parts, "decoded": decoded}) + "\n")
        except Exception as error:  # the peer's own error ends the shard
            out.write(json.dumps({"shard": url, "peer": peer, "error": f"{type(error).__name__}: {error}"}) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
