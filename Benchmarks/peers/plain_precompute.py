#!/usr/bin/env python3
"""The precompute benchmark's baseline: a plain, single-process Python loop doing the work of `sgid precompute`.

Same models, same images in the same order, same settings, same batch size as the `sgid precompute` run it is
compared with, and the same per-call work as Workers/diffusers/sgid_worker.py:
  - torch configured as the worker does it (intra-op threads from --threads, else SGID_TORCH_THREADS, else 1; one
    inter-op thread; deterministic algorithms), models loaded as the worker loads them (StableDiffusionImg2ImgPipeline
    without safety checker, BlipForConditionalGeneration; float32 on the CPU);
  - ImageFolder order (sorted class folders, sorted files), each JPEG read and decoded to RGB by Pillow, then fitted
    to the generation size as `GenerationSubject.fit` does (shorter side resized with bicubic, centre crop);
  - captions in BLIP calls of --batch images (max_new_tokens 30, 3 beams, no sampling: the worker's defaults);
  - prompt "a photo of a {label}, {caption}" (underscores in the class name become spaces); K seeds per image derived
    like `GenerationSettings.variantSeed` (SHA-256 of "seed\\0key\\0index", low 53 bits of its first 8 bytes, little
    endian); the K variants of an image in pipeline calls of at most --batch images, each with its own seeded
    torch.Generator, output_type "np", converted to uint8 exactly like the worker;
  - each image's K variants written as one .npy file under --out.
Prints one JSON line: {"images", "variants", "import_s", "load_s", "loop_s", "decode_s", "caption_s",
"generate_s", "write_s", "threads", "cpu_s", "versions"} (seconds; loop_s is everything after the models are loaded;
cpu_s is this process's user + system CPU time until the end of the loop).

Usage: plain_precompute.py ROOT --model SD --captioner BLIP --out DIR [--variants 3] [--strength 0.5]
       [--guidance 7.5] [--steps 8] [--size 64x64] [--batch 4] [--seed 0] [--threads N]
"""
import time

STARTED = time.monotonic()

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root")
    parser.add_argument("--model", required=True)
    parser.add_argument("--captioner", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--variants", type=int, default=3)
    parser.add_argument("--strength", type=float, default=0.5)
    parser.add_argument("--guidance", type=float, default=7.5)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--size", default="64x64")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--caption-max-tokens", type=int, default=30)
    parser.add_argument("--caption-beams", type=int, default=3)
    args = parser.parse_args(argv)
    if args.threads is None:
        args.threads = int(os.environ.get("SGID_TORCH_THREADS", "1"))
    args.width, args.height = (int(v) for v in args.size.lower().split("x"))
    return args


def configure_torch(threads):
    """As sgid_worker.configure_torch."""
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    import torch

    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    return torch


def list_samples(root):
    """(key, class name) in ImageFolder order: sorted class folders, then sorted(os.walk) with sorted files."""
    samples = []
    for name in sorted(entry.name for entry in os.scandir(root) if entry.is_dir() and not entry.name.startswith(".")):
        for directory, dirs, files in sorted(os.walk(os.path.join(root, name), followlinks=True)):
            for file in sorted(files):
                if file.lower().endswith((".jpg", ".jpeg", ".png")):
                    samples.append((os.path.relpath(os.path.join(directory, file), root), name))
    return samples


def fit(image, width, height):
    """GenerationSubject.fit: shorter side to the size (bicubic), then a centre crop (torchvision rounding)."""
    from PIL import Image

    scale = max(width / image.width, height / image.height)
    resized = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    if resized != image.size:
        image = image.resize(resized, Image.Resampling.BICUBIC)
    left = int(round((image.width - width) / 2.0))
    top = int(round((image.height - height) / 2.0))
    return image.crop((left, top, left + width, top + height))


def variant_seed(seed, key, index):
    digest = hashlib.sha256(f"{seed}\0{key}\0{index}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little") & ((1 << 53) - 1)


def main(argv):
    args = parse_arguments(argv)
    for name in ("HF_HUB_DISABLE_PROGRESS_BARS", "TOKENIZERS_PARALLELISM"):
        os.environ.setdefault(name, "1" if name.startswith("HF") else "false")
    torch = configure_torch(args.threads)
    import diffusers
    import numpy as np
    import transformers
    from diffusers import StableDiffusionImg2ImgPipeline
    from diffusers.utils import logging as diffusers_logging
    from PIL import Image
    from transformers import BlipForConditionalGeneration, BlipProcessor

    imported = time.monotonic()
    diffusers_logging.disable_progress_bar()
    pipe = StableDiffusionImg2ImgPipeline.from_pretrained(args.model, safety_checker=None, feature_extractor=None,
                                                          requires_safety_checker=False, dtype=torch.float32)
    pipe = pipe.to(torch.device("cpu"))
    pipe.set_progress_bar_config(disable=True)
    processor = BlipProcessor.from_pretrained(args.captioner)
    blip = BlipForConditionalGeneration.from_pretrained(args.captioner, dtype=torch.float32).to("cpu").eval()
    loaded = time.monotonic()

    os.makedirs(args.out, exist_ok=True)
    samples = list_samples(args.root)
    times = {"decode_s": 0.0, "caption_s": 0.0, "generate_s": 0.0, "write_s": 0.0}
    variants = 0
    for start in range(0, len(samples), args.batch):
        group = samples[start:start + args.batch]
        t = time.monotonic()
        images = []
        for key, _ in group:
            with open(os.path.join(args.root, key), "rb") as handle:
                data = handle.read()
            with Image.open(__import__("io").BytesIO(data)) as source:
                images.append(fit(source.convert("RGB"), args.width, args.height))
        times["decode_s"] += time.monotonic() - t

        t = time.monotonic()
        with torch.inference_mode():
            inputs = processor(images=images, return_tensors="pt")
            ids = blip.generate(pixel_values=inputs["pixel_values"].to("cpu", torch.float32),
                                max_new_tokens=args.caption_max_tokens, num_beams=args.caption_beams, do_sample=False)
        captions = [text.strip() for text in processor.batch_decode(ids, skip_special_tokens=True)]
        times["caption_s"] += time.monotonic() - t

        for (key, label), image, caption in zip(group, images, captions):
            readable = label.replace("_", " ")
            prompt = f"a photo of a {readable}, {caption}" if caption else f"a photo of a {readable}"
            seeds = [variant_seed(args.seed, key, index) for index in range(args.variants)]
            t = time.monotonic()
            outputs = []
            for first in range(0, len(seeds), args.batch):
                chunk = seeds[first:first + args.batch]
                generators = [torch.Generator(device="cpu").manual_seed(seed) for seed in chunk]
                with torch.inference_mode():
                    output = pipe(prompt=[prompt] * len(chunk), negative_prompt=[""] * len(chunk),
                                  image=[image] * len(chunk), strength=args.strength, guidance_scale=args.guidance,
                                  num_inference_steps=args.steps, generator=generators, output_type="np")
                array = np.asarray(output.images, dtype=np.float32)
                outputs.extend(np.ascontiguousarray((np.clip(array, 0.0, 1.0) * 255.0).round().astype(np.uint8)))
            times["generate_s"] += time.monotonic() - t
            t = time.monotonic()
            np.save(os.path.join(args.out, key.replace("/", "__") + ".npy"), np.stack(outputs))
            times["write_s"] += time.monotonic() - t
            variants += len(outputs)
    finished = time.monotonic()
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "images": len(samples), "variants": variants, "import_s": round(imported - STARTED, 3),
        "load_s": round(loaded - imported, 3), "loop_s": round(finished - loaded, 3),
        **{k: round(v, 3) for k, v in times.items()}, "threads": torch.get_num_threads(),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "versions": {"torch": torch.__version__, "diffusers": diffusers.__version__,
                     "transformers": transformers.__version__},
    }))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
