"""The safetensors peer for the Swift reader and writer (Formats/Safetensors): the reference library writes and
reads files; this script prints what it wrote or read as JSON.

Usage:
  safetensors_peer.py write DIR   writes DIR/mixed.safetensors (F32, F16, I64, F64, a scalar, an empty tensor, with
                                  __metadata__) with safetensors.numpy, and DIR/bf16.safetensors (BF16, laid out by
                                  hand: numpy has no bfloat16); prints {"file": {"tensor": {"dtype", "shape",
                                  "values"}}} with every value as a float
  safetensors_peer.py read FILE   loads FILE with safetensors.numpy.load_file; prints {"tensor": {"dtype", "shape",
                                  "values"}} and the metadata under "__metadata__"
"""

import json
import os
import struct
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file


def describe(array):
    return {"dtype": str(array.dtype), "shape": list(array.shape), "values": [float(v) for v in array.reshape(-1)]}


def write(directory):
    rng = np.random.default_rng(7)
    tensors = {
        "conv.weight": rng.standard_normal((4, 3, 3, 3)).astype(np.float32),
        "norm.bias": np.array([0.0, -0.0, 1e-30, 3.4e38, -7.25], dtype=np.float32),
        "half": np.array([0.0, 1.0, -2.5, 65504.0, 6.1e-5, 5.96e-8, -1e-6, 0.333], dtype=np.float16),
        "steps": np.arange(6, dtype=np.int64).reshape(2, 3),
        "double": np.array([1.5, -2.25], dtype=np.float64),
        "scalar": np.array(2.5, dtype=np.float32),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }
    mixed = os.path.join(directory, "mixed.safetensors")
    save_file(tensors, mixed, metadata={"format": "pt", "note": "peer"})
    out = {"mixed": {name: describe(array) for name, array in tensors.items()}}

    bf16_values = np.array([1.0, -3.140625, 0.0, 1e-3, 3.0e38, -0.5], dtype=np.float32)
    bits = (bf16_values.view(np.uint32) >> 16).astype(np.uint16)  # exactly representable values: truncation is exact
    header = json.dumps({"w": {"dtype": "BF16", "shape": [2, 3], "data_offsets": [0, 12]}}).encode()
    header += b" " * ((8 - (8 + len(header)) % 8) % 8)
    with open(os.path.join(directory, "bf16.safetensors"), "wb") as handle:
        handle.write(struct.pack("<Q", len(header)) + header + bits.astype("<u2").tobytes())
    restored = (bits.astype(np.uint32) << 16).view(np.float32)
    out["bf16"] = {"w": {"dtype": "bfloat16", "shape": [2, 3], "values": [float(v) for v in restored]}}
    print(json.dumps(out))


def read(path):
    arrays = load_file(path)
    out = {name: describe(array) for name, array in arrays.items()}
    with safe_open(path, framework="numpy") as handle:
        out["__metadata__"] = handle.metadata() or {}
    print(json.dumps(out))


if __name__ == "__main__":
    {"write": write, "read": read}[sys.argv[1]](sys.argv[2])
