#!/usr/bin/env python3
"""Runs `sgid run` on a dataset with the loader benchmark's pipeline and prints one JSON line like the peers'.

`sgid run SOURCE --pipeline 'random_resized_crop(size=224) | hflip' --batch-size 64 --output float32-nchw
--threads T --epochs E --decode MODE --seed 42`: the CLI a user runs, in its own process. img/s is the fastest epoch's
as `sgid run` reports it (from the first batch request of the epoch to its last batch); cpu_ms_per_img is the child's
user + system time over all epochs per image and peak_rss_mb its ru_maxrss (one process: its threads are inside it).

Usage: sgid_run_bench.py SGID SOURCE --peer NAME [--epochs 3] [--threads CORES] [--decode exact|fast]
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sgid")
    parser.add_argument("source")
    parser.add_argument("--peer", required=True, help="the row's name in the JSON line")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--decode", choices=("exact", "fast"), default="exact")
    args = parser.parse_args()

    command = [args.sgid, "run", args.source, "--pipeline", "random_resized_crop(size=224) | hflip", "--batch-size", "64",
               "--output", "float32-nchw", "--threads", str(args.threads), "--epochs", str(args.epochs),
               "--decode", args.decode, "--seed", "42"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout)
        sys.exit(f"sgid_run_bench: {' '.join(command)} exited with {completed.returncode}")
    epochs = [(int(images), float(rate)) for images, rate in
              re.findall(r"^epoch \d+: \d+ batches, (\d+) images, ([0-9.]+) img/s", completed.stdout, re.MULTILINE)]
    if len(epochs) != args.epochs:
        sys.exit(f"sgid_run_bench: expected {args.epochs} epoch lines, got:\n{completed.stdout}")
    images, rate = max(epochs, key=lambda epoch: epoch[1])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(json.dumps({
        "peer": args.peer, "img_per_s": rate, "seconds": images / rate, "images": images,
        "cpu_ms_per_img": 1000 * cpu / sum(count for count, _ in epochs),
        "peak_rss_mb": after.ru_maxrss / 1024, "peak_pss_mb": 0.0, "threads": args.threads, "decode": args.decode,
    }))


if __name__ == "__main__":
    main()
