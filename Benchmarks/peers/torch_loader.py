#!/usr/bin/env python3
"""PyTorch DataLoader + torchvision over an ImageFolder tree: the loader benchmark's PyTorch peer.

RandomResizedCrop(224) + RandomHorizontalFlip + ToTensor + Normalize(ImageNet), batch 64, shuffled,
num_workers = cores (fresh workers every epoch: persistent_workers=False), Pillow decoding (torchvision's default).
Each epoch is timed from creating the iterator (workers start inside it) to the last batch; the fastest of
--epochs counts. Prints one JSON line:
  {"peer": "torch", "img_per_s", "seconds", "images", "cpu_ms_per_img", "peak_rss_mb", "peak_pss_mb", "workers",
   "versions"}
cpu_ms_per_img is the CPU time (user + system) of this process and its workers over all epochs, per image: unlike
img/s it hardly moves when other programs share the machine.
peak_rss_mb is the peak over the run of the summed resident sets of this process and its worker processes (sampled
from /proc every 20 ms, and never below this process's own ru_maxrss); peak_pss_mb the peak of their summed
proportional set sizes (shared pages split between the processes sharing them, sampled every 200 ms).

Usage: torch_loader.py ROOT [--epochs 3] [--batch-size 64] [--workers CORES]
"""
import argparse
import json
import os
import resource
import threading
import time


def cpu_seconds():
    """User + system CPU time of this process and its reaped children (the workers of finished epochs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class ProcessTreeMemory:
    """Samples the summed RSS (and, less often, PSS) of this process and all its descendants."""

    def __init__(self, interval=0.02, pss_every=10):
        self.interval, self.pss_every = interval, pss_every
        self.peak_rss = self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    @staticmethod
    def _tree(root):
        pids, frontier = [root], [root]
        while frontier:
            pid = frontier.pop()
            try:
                with open(f"/proc/{pid}/task/{pid}/children") as handle:
                    children = [int(child) for child in handle.read().split()]
            except OSError:
                continue
            pids += children
            frontier += children
        return pids

    def _rss(self, pid):
        try:
            with open(f"/proc/{pid}/statm") as handle:
                return int(handle.read().split()[1]) * self._page
        except (OSError, IndexError, ValueError):
            return 0

    @staticmethod
    def _pss(pid):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError):
            pass
        return 0

    def _run(self):
        tick = 0
        while not self._stop.is_set():
            pids = self._tree(os.getpid())
            self.peak_rss = max(self.peak_rss, sum(self._rss(pid) for pid in pids))
            if tick % self.pss_every == 0:
                self.peak_pss = max(self.peak_pss, sum(self._pss(pid) for pid in pids))
            tick += 1
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def time_epochs(loader, epochs):
    """Runs `epochs` epochs of a DataLoader yielding (Float32 N×3×224×224 batch, labels): the fastest epoch, from
    creating the iterator (workers start inside it) to the last batch, and CPU time and peak memory over all of them.
    Returns the measurement fields every peer prints: img_per_s, seconds, images, cpu_ms_per_img, peak_rss_mb,
    peak_pss_mb."""
    import torch

    best, images = float("inf"), 0
    cpu_start = cpu_seconds()
    with ProcessTreeMemory() as memory:
        for _ in range(epochs):
            start = time.perf_counter()
            count = 0
            for batch, labels in loader:
                assert batch.dtype == torch.float32 and batch.shape[1:] == (3, 224, 224)
                count += int(labels.shape[0])
            best = min(best, time.perf_counter() - start)
            images = count
    cpu = cpu_seconds() - cpu_start
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"img_per_s": images / best, "seconds": best, "images": images,
            "cpu_ms_per_img": 1000 * cpu / (images * epochs),
            "peak_rss_mb": max(memory.peak_rss, own_peak) / 2**20, "peak_pss_mb": memory.peak_pss / 2**20}


def training_transform(randaugment=False):
    """torchvision's standard training transform, as every PyTorch-side peer runs it: RandomResizedCrop(224) +
    RandomHorizontalFlip (+ RandAugment(num_ops=2, magnitude=9)) + ToTensor + Normalize(ImageNet)."""
    from torchvision import transforms

    return transforms.Compose([
        transforms.RandomResizedCrop(224),
        transforms.RandomHorizontalFlip(),
        *([transforms.RandAugment(num_ops=2, magnitude=9)] if randaugment else []),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--randaugment", action="store_true",
                        help="follow the flip with torchvision's RandAugment(num_ops=2, magnitude=9)")
    args = parser.parse_args()

    import torch
    import torchvision
    from torchvision import datasets

    dataset = datasets.ImageFolder(args.root, transform=training_transform(args.randaugment))
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=True, num_workers=args.workers,
                                         persistent_workers=False)
    measured = time_epochs(loader, args.epochs)
    print(json.dumps({
        "peer": "torch-randaugment" if args.randaugment else "torch", **measured,
        "workers": args.workers,
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__,
                     "pillow": __import__("PIL").__version__},
    }))


if __name__ == "__main__":
    main()
