#!/usr/bin/env python3
"""webdataset + PyTorch DataLoader over tar shards: the loader benchmark's WebDataset peer.

What a WebDataset user writes: `webdataset.WebDataset(shards, shardshuffle=N, workersplitter=split_by_worker)` (each
DataLoader worker reads its own share of the shards: webdataset's own splitting) → `.shuffle(1000)` (the sample
shuffle buffer, as `sgid run`'s default) → `.decode("pil")` (Pillow decodes) → `.to_tuple("jpg", "cls")` → the
PyTorch peer's transform, RandomResizedCrop(224) + RandomHorizontalFlip + ToTensor + Normalize(ImageNet) →
`torch.utils.data.DataLoader(batch_size=64, num_workers=cores, persistent_workers=False)`. Each epoch is timed from
creating the iterator (workers start inside it) to the last batch; the fastest of --epochs counts. Prints one JSON
line with the same fields as torch_loader.py (peer "webdataset"); peak RSS / PSS and CPU time include the workers.

Usage: webdataset_loader.py SHARD [SHARD ...] [--epochs 3] [--batch-size 64] [--workers CORES]
"""
import argparse
import json
import os

from torch_loader import time_epochs, training_transform


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", nargs="+")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--shuffle-buffer", type=int, default=1000)
    args = parser.parse_args()

    import torch
    import torchvision
    import webdataset as wds

    transform = training_transform()
    dataset = (
        wds.WebDataset(args.shards, shardshuffle=len(args.shards), workersplitter=wds.split_by_worker)
        .shuffle(args.shuffle_buffer)
        .decode("pil")
        .to_tuple("jpg;jpeg;png", "cls")
        .map_tuple(transform, int)
    )
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, num_workers=args.workers,
                                         persistent_workers=False)
    measured = time_epochs(loader, args.epochs)
    print(json.dumps({
        "peer": "webdataset", **measured,
        "workers": args.workers, "shards": len(args.shards),
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__, "webdataset": wds.__version__,
                     "pillow": __import__("PIL").__version__},
    }))


if __name__ == "__main__":
    main()
