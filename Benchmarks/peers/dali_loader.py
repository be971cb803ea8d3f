#!/usr/bin/env python3
"""NVIDIA DALI on the CPU only (device_id=None) over an ImageFolder tree: the loader benchmark's DALI peer.

fn.readers.file (shuffled) -> fn.decoders.image_random_crop (libjpeg-turbo decoding only the random crop's region,
area 0.08-1, aspect 3/4-4/3) -> fn.resize to 224x224 -> fn.crop_mirror_normalize (random mirror, ImageNet mean/std,
Float32 CHW), batch 64, num_threads = cores. The pipeline is built before timing; each epoch (ceil(N/64) batches,
the last one padded to 64 by the reader, so it decodes 64 images) is timed from its first batch request to its last
output; the fastest of --epochs counts, and img/s counts every image the pipeline processed. Prints one JSON line:
  {"peer": "dali", "img_per_s", "seconds", "images", "cpu_ms_per_img", "peak_rss_mb", "peak_pss_mb", "threads",
   "versions"}
(memory and CPU time measured as in torch_loader.py; DALI is one process, so the figures are its own).

Usage: dali_loader.py ROOT [--epochs 3] [--batch-size 64] [--threads CORES]
"""
import argparse
import json
import math
import os
import resource
import time

from torch_loader import ProcessTreeMemory, cpu_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()

    import nvidia.dali
    import nvidia.dali.fn as fn
    import nvidia.dali.types as types
    from nvidia.dali import pipeline_def

    @pipeline_def
    def imagenet_train(root):
        jpegs, labels = fn.readers.file(file_root=root, random_shuffle=True, pad_last_batch=True, name="Reader")
        images = fn.decoders.image_random_crop(jpegs, device="cpu", output_type=types.RGB,
                                               random_area=[0.08, 1.0], random_aspect_ratio=[3 / 4, 4 / 3])
        images = fn.resize(images, resize_x=224, resize_y=224)
        images = fn.crop_mirror_normalize(images, dtype=types.FLOAT, output_layout="CHW",
                                          mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                                          std=[0.229 * 255, 0.224 * 255, 0.225 * 255],
                                          mirror=fn.random.coin_flip())
        return images, labels

    with ProcessTreeMemory() as memory:
        pipe = imagenet_train(args.root, batch_size=args.batch_size, num_threads=args.threads, device_id=None,
                              seed=42)
        pipe.build()
        total = pipe.epoch_size("Reader")
        iterations = math.ceil(total / args.batch_size)
        best, images = float("inf"), 0
        cpu_start = cpu_seconds()
        for _ in range(args.epochs):
            start = time.perf_counter()
            count = 0
            for _ in range(iterations):
                batch, labels = pipe.run()
                assert tuple(batch.shape()[0]) == (3, 224, 224)
                count += len(labels)
            best = min(best, time.perf_counter() - start)
            images = count
        cpu = cpu_seconds() - cpu_start
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({
        "peer": "dali", "img_per_s": images / best, "seconds": best, "images": images, "dataset_images": total,
        "cpu_ms_per_img": 1000 * cpu / (images * args.epochs),
        "peak_rss_mb": max(memory.peak_rss, own_peak) / 2**20, "peak_pss_mb": memory.peak_pss / 2**20,
        "threads": args.threads, "versions": {"nvidia-dali": nvidia.dali.__version__},
    }))


if __name__ == "__main__":
    main()
