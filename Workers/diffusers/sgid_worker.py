#!/usr/bin/env python3
"""SGID generator worker: Hugging Face diffusers img2img + optional BLIP captioner + optional CLIP scorer.

Speaks the framed protocol of Formats/GeneratorProtocol.md (version 2) over standard input (requests) and standard
output (responses). Everything else, logs and any stray print from a library, goes to standard error: the protocol
stream is a private duplicate of the original standard output, and file descriptor 1 is pointed at standard error.

Usage:
  sgid_worker.py --model PATH_OR_ID [--captioner PATH_OR_ID] [--clip PATH_OR_ID] [--device auto|cpu|cuda]
                 [--batch N] [--revision REV] [--threads N] ...

The worker dies with its client, whatever kills the client (parent_watch.py: PR_SET_PDEATHSIG when the client sets
SGID_CLIENT_PID, and a thread watching the parent process); it installs no SIGTERM handler, so SIGTERM ends it at once.

Models load before the handshake; "ready" means ready. A model that fails to load is reported to the client's
"hello" as {"type": "error", "id": null, ...}, and the worker exits with status 1.

Determinism: on the CPU the same request gives the same bytes, run after run: torch's deterministic algorithms are
on, the intra-op thread count is fixed (--threads, else SGID_TORCH_THREADS, else 1), and every variant draws its noise
from its own torch.Generator seeded with the variant's seed. A variant's bytes can still differ by a rounding step
between different --batch values (float kernels see different batch shapes), so --batch is reported in the handshake.

The worker only generates, captions and scores: the consistency filter, its regenerations and similarity-driven
guidance are the client's policy (Sources/SGID/Generation/ConsistencyPolicy.swift), built from "generate" and "score"
requests.

Choices the protocol leaves open (see also Formats/GeneratorProtocol.md):
  - The source image is resized (Lanczos) to output_width x output_height, which default to the source size and must
    be multiples of the pipeline's VAE scale factor (8 for Stable Diffusion; reported as generator.vae_scale_factor).
  - Seeds are integers in [0, 2**64).
  - The variants of one item are generated in batches of at most --batch images (one pipeline call each); on a CUDA
    out-of-memory error the batch is halved and the call repeated. The images of one "score" request are embedded
    in batches of at most --batch images.
"""

import argparse
import hashlib
import json
import logging
import os
import re
import struct
import sys
import time
import traceback

import parent_watch

PROTOCOL = 2
MAX_HEADER = 16 * 1024 * 1024
MAX_PAYLOAD_TOTAL = 2 * 1024 * 1024 * 1024
SEED_LIMIT = 2 ** 64
MAX_STEPS = 1000
MAX_OUTPUT_PIXELS = 4096 * 4096

log = logging.getLogger("sgid_worker")


class ConnectionBroken(Exception):
    """The input stream is malformed or truncated: the connection is unusable."""


class RequestError(Exception):
    """A request the worker cannot serve at all."""


class ItemError(Exception):
    """One item of a request failed."""


# ----------------------------------------------------------------------------------------------------------------------
# Frames


class FrameChannel:
    """Reads and writes protocol frames on raw file descriptors (no Python-level buffering)."""

    def __init__(self, in_fd, out_fd):
        self.in_fd = in_fd
        self.out_fd = out_fd

    def _read_exact(self, count, what, allow_eof=False):
        buffer = bytearray(count)
        view = memoryview(buffer)
        got = 0
        while got < count:
            chunk = os.read(self.in_fd, min(count - got, 1 << 22))
            if not chunk:
                if got == 0 and allow_eof:
                    return None
                raise ConnectionBroken(f"end of input inside {what} ({got} of {count} bytes)")
            view[got:got + len(chunk)] = chunk
            got += len(chunk)
        return buffer

    def read(self):
        """Returns (header, [payload memoryviews]), or None at a clean end of input between frames."""
        prefix = self._read_exact(4, "the header length", allow_eof=True)
        if prefix is None:
            return None
        (length,) = struct.unpack("<I", prefix)
        if not 1 <= length <= MAX_HEADER:
            raise ConnectionBroken(f"header length {length} outside 1...{MAX_HEADER}")
        raw = self._read_exact(length, "the header")
        try:
            header = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ConnectionBroken(f"header is not UTF-8 JSON: {error}") from None
        if not isinstance(header, dict):
            raise ConnectionBroken("header is not a JSON object")
        lengths = header.get("payloads", [])
        if lengths is None:
            lengths = []
        if not isinstance(lengths, list) or not all(is_int(n) and n >= 0 for n in lengths):
            raise ConnectionBroken("\"payloads\" is not a list of non-negative integers")
        total = sum(lengths)
        if total > MAX_PAYLOAD_TOTAL:
            raise ConnectionBroken(f"payloads total {total} bytes, more than {MAX_PAYLOAD_TOTAL}")
        data = memoryview(self._read_exact(total, "the payloads")) if total else memoryview(b"")
        payloads, offset = [], 0
        for n in lengths:
            payloads.append(data[offset:offset + n])
            offset += n
        return header, payloads

    def write(self, header, payloads=()):
        payloads = list(payloads)
        if payloads:
            header = dict(header, payloads=[len(p) for p in payloads])
        raw = json.dumps(header, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        self._write_all(struct.pack("<I", len(raw)) + raw)
        for payload in payloads:
            self._write_all(payload)

    def _write_all(self, data):
        view = memoryview(data).cast("B")
        while len(view):
            written = os.write(self.out_fd, view)
            view = view[written:]


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value):
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and value == value and abs(value) != float("inf"))


# ----------------------------------------------------------------------------------------------------------------------
# Model identity (what the handshake reports so that the client's fingerprint changes when outputs would)


def folder_digest(folder, mode):
    """sha256 over every file's relative path, size and content ("full"), or content of files up to 64 MiB and the
    first and last 16 MiB of larger ones ("quick"). None for mode "none"."""
    if mode == "none":
        return None
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            size = os.path.getsize(path)
            digest.update(os.path.relpath(path, folder).encode("utf-8") + b"\0" + str(size).encode() + b"\0")
            with open(path, "rb") as handle:
                if mode == "full" or size <= 64 << 20:
                    for block in iter(lambda: handle.read(1 << 22), b""):
                        digest.update(block)
                else:
                    digest.update(handle.read(16 << 20))
                    handle.seek(size - (16 << 20))
                    digest.update(handle.read(16 << 20))
    return f"sha256:{digest.hexdigest()}" + ("" if mode == "full" else "-quick")


def pixel_pipeline_folder(path):
    """Whether a model folder is a pixel-space DDPMPipeline / DDIMPipeline (else: Stable Diffusion img2img)."""
    try:
        with open(os.path.join(path, "model_index.json")) as handle:
            return json.load(handle).get("_class_name") in ("DDPMPipeline", "DDIMPipeline")
    except (OSError, ValueError):
        return False


def describe_source(name, revision, index_file, digest_mode):
    """Identity of a model folder or hub id: as given, revision, resolved commit (hub cache) and content digest."""
    described = {"model": name, "revision": revision, "commit": None, "digest": None}
    if os.path.isdir(name):
        described["digest"] = folder_digest(name, digest_mode)
        return described
    try:
        from huggingface_hub import try_to_load_from_cache

        cached = try_to_load_from_cache(name, index_file, revision=revision)
        if isinstance(cached, str):
            match = re.search(r"snapshots[\\/]([0-9a-f]{40})[\\/]", cached)
            if match:
                described["commit"] = match.group(1)
                if digest_mode != "none":
                    described["digest"] = folder_digest(os.path.dirname(cached), digest_mode)
    except Exception as error:  # identity is best effort for hub ids
        log.warning("could not resolve the cached snapshot of %s: %s", name, error)
    return described


def json_safe(value):
    """Scheduler configs hold tuples, numpy scalars and the like; make them plain JSON."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, float):
        return value if is_number(value) else str(value)
    if hasattr(value, "tolist"):
        return json_safe(value.tolist())
    return str(value)


# ----------------------------------------------------------------------------------------------------------------------
# Models


class Models:
    def __init__(self, args):
        import torch

        self.torch = torch
        self.args = args
        if args.device == "auto":
            self.device_type = "cuda" if torch.cuda.is_available() else "cpu"
        else:
            self.device_type = args.device
        if self.device_type == "cuda":
            if not torch.cuda.is_available():
                raise RuntimeError("--device cuda, but torch sees no CUDA device")
            self.device = torch.device("cuda", torch.cuda.current_device())
        else:
            self.device = torch.device("cpu")
        dtype_name = args.dtype if args.dtype != "auto" else ("float16" if self.device_type == "cuda" else "float32")
        self.dtype_name = dtype_name
        self.dtype = getattr(torch, dtype_name)
        self.pipe = None
        self.pixel = None
        self.captioner = None
        self.scorer = None
        self.descriptions = {}

    # -- loading

    def load(self):
        args = self.args
        from diffusers.utils import logging as diffusers_logging

        diffusers_logging.disable_progress_bar()
        started = time.monotonic()
        options = {"dtype": self.dtype}
        if args.revision:
            options["revision"] = args.revision
        if args.variant:
            options["variant"] = args.variant
        if pixel_pipeline_folder(args.model):
            self.load_pixel(started)
        else:
            self.load_stable_diffusion(started, options)
        self.load_helpers()

    def load_pixel(self, started):
        """A class-conditional pixel-space DDPMPipeline folder (Workers/diffusers/pixel_pipeline.py)."""
        import diffusers
        import transformers
        from pixel_pipeline import PixelPipeline

        args = self.args
        self.pixel = PixelPipeline(args.model, self.device, self.dtype, args.scheduler)
        self.descriptions["generator"] = {
            **describe_source(args.model, args.revision, "model_index.json", args.digest),
            **json_safe(self.pixel.describe()),
            "dtype": self.dtype_name,
            "generator_device": self.device_type,
            "software": {"torch": self.torch.__version__, "diffusers": diffusers.__version__,
                         "transformers": transformers.__version__},
        }
        log.info("loaded the pixel-space model %s (%s, %s) in %.1fs", args.model, type(self.pixel.scheduler).__name__,
                 self.device, time.monotonic() - started)

    def load_stable_diffusion(self, started, options):
        args = self.args
        torch = self.torch
        import diffusers
        import transformers
        from diffusers import StableDiffusionImg2ImgPipeline

        pipe = StableDiffusionImg2ImgPipeline.from_pretrained(args.model, safety_checker=None, feature_extractor=None,
                                                              requires_safety_checker=False, **options)
        if args.scheduler:
            scheduler_class = getattr(diffusers, args.scheduler, None)
            if scheduler_class is None or not hasattr(scheduler_class, "from_config"):
                raise RuntimeError(f"--scheduler {args.scheduler}: no such diffusers scheduler class")
            pipe.scheduler = scheduler_class.from_config(pipe.scheduler.config)
        pipe = pipe.to(self.device)
        pipe.set_progress_bar_config(disable=True)
        self.pipe = pipe
        scheduler_config = {k: v for k, v in dict(pipe.scheduler.config).items() if not k.startswith("_")}
        self.descriptions["generator"] = {
            **describe_source(args.model, args.revision, "model_index.json", args.digest),
            "variant": args.variant,
            "pipeline": type(pipe).__name__,
            "scheduler": type(pipe.scheduler).__name__,
            "scheduler_config": json_safe(scheduler_config),
            "vae_scale_factor": int(pipe.vae_scale_factor),
            "dtype": self.dtype_name,
            "generator_device": self.device_type,
            "software": {"torch": torch.__version__, "diffusers": diffusers.__version__,
                         "transformers": transformers.__version__},
        }
        log.info("loaded %s (%s, %s) in %.1fs", args.model, type(pipe.scheduler).__name__, self.device,
                 time.monotonic() - started)

    def load_helpers(self):
        """The captioner and the scorer, when asked for."""
        args = self.args
        if args.captioner:
            from transformers import BlipForConditionalGeneration, BlipProcessor

            started = time.monotonic()
            options = {"revision": args.captioner_revision} if args.captioner_revision else {}
            processor = BlipProcessor.from_pretrained(args.captioner, **options)
            model = BlipForConditionalGeneration.from_pretrained(args.captioner, dtype=self.dtype, **options)
            self.captioner = (processor, model.to(self.device).eval())
            self.descriptions["captioner"] = {
                **describe_source(args.captioner, args.captioner_revision, "config.json", args.digest),
                "model_class": type(model).__name__, "max_new_tokens": args.caption_max_tokens,
                "num_beams": args.caption_beams, "dtype": self.dtype_name,
            }
            log.info("loaded captioner %s in %.1fs", args.captioner, time.monotonic() - started)

        if args.clip:
            from transformers import CLIPModel, CLIPProcessor

            started = time.monotonic()
            options = {"revision": args.clip_revision} if args.clip_revision else {}
            processor = CLIPProcessor.from_pretrained(args.clip, **options)
            model = CLIPModel.from_pretrained(args.clip, dtype=self.dtype, **options)
            self.scorer = (processor, model.to(self.device).eval())
            self.descriptions["scorer"] = {
                **describe_source(args.clip, args.clip_revision, "config.json", args.digest),
                "model_class": type(model).__name__, "measure": "cosine(image_embeds, text_embeds)",
                "dtype": self.dtype_name,
            }
            log.info("loaded scorer %s in %.1fs", args.clip, time.monotonic() - started)

    def ready_message(self):
        return {
            "type": "ready", "protocol": PROTOCOL,
            "generator": self.descriptions["generator"],
            "captioner": self.descriptions.get("captioner"),
            "scorer": self.descriptions.get("scorer"),
            "device": str(self.device) if self.device_type == "cuda" else "cpu",
            "dtype": self.dtype_name,
            "worker": {"batch": self.args.batch, "threads": self.torch.get_num_threads(), "pid": os.getpid()},
            **(self.pixel.capabilities() if self.pixel is not None
               else {"conditioning": "text", "channels": 3, "sample_size": None, "fits_sources": False}),
        }

    # -- captioning

    def caption(self, images):
        processor, model = self.captioner
        with self.torch.inference_mode():
            inputs = processor(images=images, return_tensors="pt")
            pixel_values = inputs["pixel_values"].to(self.device, self.dtype)
            ids = model.generate(pixel_values=pixel_values, max_new_tokens=self.args.caption_max_tokens,
                                 num_beams=self.args.caption_beams, do_sample=False)
        return [text.strip() for text in processor.batch_decode(ids, skip_special_tokens=True)]

    # -- scoring

    @staticmethod
    def _features(output):
        # transformers 5 returns a model output whose pooler_output is the projected embedding; 4.x a tensor.
        if hasattr(output, "pooler_output") and not hasattr(output, "shape"):
            return output.pooler_output
        return output

    def image_embeddings(self, images):
        processor, model = self.scorer
        with self.torch.inference_mode():
            inputs = processor.image_processor(images=images, return_tensors="pt")
            pixel_values = inputs["pixel_values"].to(self.device, self.dtype)
            features = self._features(model.get_image_features(pixel_values=pixel_values)).float()
            return features / features.norm(dim=-1, keepdim=True).clamp_min(1e-12)

    def text_embedding(self, text):
        processor, model = self.scorer
        with self.torch.inference_mode():
            inputs = processor.tokenizer([text], padding=True, truncation=True, return_tensors="pt")
            inputs = {k: v.to(self.device) for k, v in inputs.items()}
            features = self._features(model.get_text_features(**inputs)).float()
            return (features / features.norm(dim=-1, keepdim=True).clamp_min(1e-12))[0]

    def scores(self, images, text_embedding):
        """Cosine similarity of each image with the text (a Python float each), batched by --batch."""
        out = []
        for start in range(0, len(images), self.args.batch):
            embeddings = self.image_embeddings(images[start:start + self.args.batch])
            out.extend(float(x) for x in (embeddings @ text_embedding).cpu().tolist())
        return out

    # -- generation

    def generate(self, image, prompt, negative_prompt, strength, guidance, steps, seeds):
        """Returns one uint8 array (H, W, 3) per seed, generated in pipeline calls of at most --batch images."""
        import numpy as np

        torch = self.torch
        results = []
        size = self.args.batch
        start = 0
        while start < len(seeds):
            chunk = seeds[start:start + size]
            try:
                generators = [torch.Generator(device=self.device).manual_seed(seed) for seed in chunk]
                with torch.inference_mode():
                    output = self.pipe(prompt=[prompt] * len(chunk), negative_prompt=[negative_prompt] * len(chunk),
                                       image=[image] * len(chunk), strength=strength, guidance_scale=guidance,
                                       num_inference_steps=steps, generator=generators, output_type="np")
            except torch.cuda.OutOfMemoryError:
                if size == 1:
                    raise
                size = max(1, size // 2)
                torch.cuda.empty_cache()
                log.warning("CUDA out of memory: retrying with batches of %d", size)
                continue
            images = np.asarray(output.images, dtype=np.float32)
            results.extend(np.ascontiguousarray((np.clip(images, 0.0, 1.0) * 255.0).round().astype(np.uint8)))
            start += len(chunk)
        return results


# ----------------------------------------------------------------------------------------------------------------------
# Requests


def request_items(header, payloads):
    items = header.get("items")
    if not isinstance(items, list):
        raise RequestError("\"items\" must be a list")
    if len(payloads) != len(items):
        raise RequestError(f"{len(items)} items but {len(payloads)} payloads (one RGB image per item)")
    return items


def item_key(item):
    if isinstance(item, dict) and isinstance(item.get("key"), str):
        return item["key"]
    return None


def decode_image(item, payload):
    """The item's RGB payload as a PIL image, after checking its dimensions against the payload size."""
    import numpy as np
    from PIL import Image

    if not isinstance(item, dict):
        raise ItemError("item is not a JSON object")
    if not isinstance(item.get("key"), str):
        raise ItemError("item has no string \"key\"")
    width, height = item.get("width"), item.get("height")
    if not (is_int(width) and is_int(height) and width > 0 and height > 0):
        raise ItemError(f"width and height must be positive integers (got {width!r} x {height!r})")
    if len(payload) != width * height * 3:
        raise ItemError(f"payload holds {len(payload)} bytes; {width}x{height} RGB needs {width * height * 3}")
    pixels = np.frombuffer(payload, dtype=np.uint8).reshape(height, width, 3)
    return Image.fromarray(pixels.copy(), "RGB")


class GenerateSpec:
    """The validated settings of one generate item."""

    def __init__(self, item, models):
        def number(name, default=None):
            value = item.get(name, default)
            if not is_number(value):
                raise ItemError(f"\"{name}\" must be a finite number (got {value!r})")
            return float(value)

        def optional_text(name):
            value = item.get(name)
            if value is not None and not isinstance(value, str):
                raise ItemError(f"\"{name}\" must be a string or null")
            return value

        prompt = item.get("prompt")
        if not isinstance(prompt, str):
            raise ItemError("\"prompt\" must be a string")
        self.prompt = prompt
        self.negative_prompt = optional_text("negative_prompt") or ""  # diffusers treats None and "" alike
        self.strength = number("strength")
        if not 0.0 < self.strength <= 1.0:
            raise ItemError(f"\"strength\" must be in (0, 1] (got {self.strength})")
        self.guidance = number("guidance")
        if self.guidance < 0:
            raise ItemError(f"\"guidance\" must be non-negative (got {self.guidance})")
        steps = item.get("steps")
        if not is_int(steps) or not 1 <= steps <= MAX_STEPS:
            raise ItemError(f"\"steps\" must be an integer in 1...{MAX_STEPS} (got {steps!r})")
        if min(int(steps * self.strength), steps) < 1:
            raise ItemError(f"steps {steps} x strength {self.strength} leaves no denoising step")
        self.steps = steps
        seeds = item.get("seeds")
        if not isinstance(seeds, list) or not all(is_int(s) and 0 <= s < SEED_LIMIT for s in seeds):
            raise ItemError("\"seeds\" must be a list of integers in [0, 2^64)")
        self.seeds = seeds
        factor = models.descriptions["generator"].get("vae_scale_factor", 1)
        label = item.get("label")
        if models.pixel is not None and not isinstance(label, str):
            raise ItemError("\"label\" must be a string (the class name) for a class-conditional model")
        self.label = label
        self.output_width = item.get("output_width", item.get("width"))
        self.output_height = item.get("output_height", item.get("height"))
        if self.output_width is None:
            self.output_width = item.get("width")
        if self.output_height is None:
            self.output_height = item.get("height")
        for name, value in (("output_width", self.output_width), ("output_height", self.output_height)):
            if not is_int(value) or value <= 0 or value % factor:
                raise ItemError(f"\"{name}\" must be a positive multiple of {factor} (got {value!r})")
        if self.output_width * self.output_height > MAX_OUTPUT_PIXELS:
            raise ItemError(f"output {self.output_width}x{self.output_height} is larger than "
                            f"{MAX_OUTPUT_PIXELS} pixels")


def generate_item(models, item, payload):
    """One item's response record and its variant images (uint8 arrays, one per seed), in order."""
    import numpy as np
    from PIL import Image

    source = decode_image(item, payload)
    spec = GenerateSpec(item, models)
    image = source
    if image.size != (spec.output_width, spec.output_height):
        image = source.resize((spec.output_width, spec.output_height), Image.Resampling.LANCZOS)
    if models.pixel is not None:
        try:
            generated = models.pixel.generate(source, spec.label, spec.strength, spec.guidance, spec.steps, spec.seeds,
                                              models.args.batch)
        except ValueError as error:
            raise ItemError(str(error)) from None
        # Images travel as RGB: gray variants are replicated (the client keeps one channel).
        images = [np.ascontiguousarray(np.repeat(a, 3, axis=2) if a.shape[2] == 1 else a) for a in generated]
        variants = [{"seed": seed, "width": int(a.shape[1]), "height": int(a.shape[0])} for seed, a in zip(spec.seeds, images)]
        return {"key": item["key"], "variants": variants}, images
    images = models.generate(image, spec.prompt, spec.negative_prompt, spec.strength, spec.guidance, spec.steps, spec.seeds)
    variants = [{"seed": seed, "width": spec.output_width, "height": spec.output_height} for seed in spec.seeds]
    return {"key": item["key"], "variants": variants}, images


def item_failure(item, error):
    return {"key": item_key(item), "error": str(error) or type(error).__name__}


def serve_generate(models, header, payloads):
    items = request_items(header, payloads)
    records, out_payloads = [], []
    for item, payload in zip(items, payloads):
        try:
            record, images = generate_item(models, item, payload)
        except ItemError as error:
            records.append(item_failure(item, error))
            continue
        except Exception as error:  # a model error fails the item, never the worker
            log.error("generate %r failed: %s", item_key(item), "".join(traceback.format_exception(error)))
            records.append(item_failure(item, f"{type(error).__name__}: {error}"))
            continue
        records.append(record)
        out_payloads.extend(a.tobytes() for a in images)
    return {"type": "generated", "id": header["id"], "items": records}, out_payloads


def decode_items(items, payloads):
    """(records, decoded): each item's image decoded as (index, PIL image), or its record set to the item's error."""
    records = [None] * len(items)
    decoded = []
    for index, (item, payload) in enumerate(zip(items, payloads)):
        try:
            decoded.append((index, decode_image(item, payload)))
        except ItemError as error:
            records[index] = item_failure(item, error)
    return records, decoded


def serve_score(models, header, payloads):
    """Cosine similarity of each item's image with the request's "text" (CLIP image and text embeddings); the
    decodable images of the request are embedded together, in batches of --batch."""
    if models.scorer is None:
        raise RequestError("this worker has no scorer (start it with --clip)")
    text = header.get("text")
    if not isinstance(text, str):
        raise RequestError("\"text\" must be a string")
    items = request_items(header, payloads)
    records, decoded = decode_items(items, payloads)
    if decoded:
        scores = models.scores([image for _, image in decoded], models.text_embedding(text))
        for (index, _), score in zip(decoded, scores):
            records[index] = {"key": items[index]["key"], "score": score}
    return {"type": "scores", "id": header["id"], "items": records}, []


def serve_caption(models, header, payloads):
    if models.captioner is None:
        raise RequestError("this worker has no captioner (start it with --captioner)")
    items = request_items(header, payloads)
    records, decoded = decode_items(items, payloads)
    batch = models.args.batch
    for start in range(0, len(decoded), batch):
        chunk = decoded[start:start + batch]
        try:
            captions = models.caption([image for _, image in chunk])
        except Exception as error:
            log.warning("caption batch failed (%s); captioning its items one by one", error)
            captions = []
            for index, image in chunk:
                try:
                    captions.append(models.caption([image])[0])
                except Exception as single:
                    captions.append(single)
        for (index, _), caption in zip(chunk, captions):
            if isinstance(caption, Exception):
                records[index] = item_failure(items[index], f"{type(caption).__name__}: {caption}")
            else:
                records[index] = {"key": items[index]["key"], "caption": caption}
    return {"type": "captions", "id": header["id"], "items": records}, []


# ----------------------------------------------------------------------------------------------------------------------
# Main loop


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="StableDiffusionImg2ImgPipeline folder or hub id")
    parser.add_argument("--revision", default=None, help="revision (branch, tag or commit) of --model")
    parser.add_argument("--variant", default=None, help="weights variant of --model, e.g. fp16")
    parser.add_argument("--scheduler", default=None, help="diffusers scheduler class to use instead of the model's")
    parser.add_argument("--captioner", default=None, help="BlipForConditionalGeneration folder or hub id")
    parser.add_argument("--captioner-revision", default=None)
    parser.add_argument("--caption-max-tokens", type=int, default=30)
    parser.add_argument("--caption-beams", type=int, default=3)
    parser.add_argument("--clip", default=None, help="CLIPModel folder or hub id (scores, similarity guidance)")
    parser.add_argument("--clip-revision", default=None)
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--dtype", choices=("auto", "float32", "float16", "bfloat16"), default="auto",
                        help="auto: float16 on CUDA, float32 on the CPU")
    parser.add_argument("--batch", type=int, default=4, help="most images per pipeline call")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch intra-op threads (default: SGID_TORCH_THREADS, else 1)")
    parser.add_argument("--digest", choices=("quick", "full", "none"), default="quick",
                        help="content digest of model folders reported in the handshake")
    args = parser.parse_args(argv)
    if args.batch < 1:
        parser.error("--batch must be at least 1")
    if args.caption_max_tokens < 1 or args.caption_beams < 1:
        parser.error("--caption-max-tokens and --caption-beams must be at least 1")
    if args.threads is None:
        try:
            args.threads = int(os.environ.get("SGID_TORCH_THREADS", "1"))
        except ValueError:
            parser.error("SGID_TORCH_THREADS must be an integer")
    if args.threads < 1:
        parser.error("the thread count must be at least 1")
    return args


def configure_torch(threads):
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS; read when CUDA starts
    import torch

    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set (only possible once per process)
        pass
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    if hasattr(torch.backends.cuda.matmul, "allow_tf32"):
        torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def main(argv):
    # The protocol owns the original standard output; anything else written to fd 1 lands on standard error.
    protocol_out = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    logging.basicConfig(stream=sys.stderr, level=os.environ.get("SGID_WORKER_LOG", "INFO").upper(),
                        format="sgid_worker[%(process)d] %(levelname)s %(message)s")
    # Die with the client, whatever kills it (before the slow imports and model loading).
    parent_watch.watch(leave)
    for name in ("HF_HUB_DISABLE_PROGRESS_BARS", "TOKENIZERS_PARALLELISM"):
        os.environ.setdefault(name, "1" if name.startswith("HF") else "false")
    args = parse_arguments(argv)
    channel = FrameChannel(0, protocol_out)

    load_error = None
    models = None
    try:
        configure_torch(args.threads)
        models = Models(args)
        models.load()
    except Exception as error:
        log.error("could not load the models: %s", "".join(traceback.format_exception(error)))
        load_error = f"could not load the models: {type(error).__name__}: {error}"

    ready = False
    while True:
        try:
            frame = channel.read()
        except ConnectionBroken as error:
            log.error("broken connection: %s", error)
            return 3
        if frame is None:
            log.info("end of input: exiting")
            return 0
        header, payloads = frame
        kind = header.get("type")
        request_id = header.get("id") if is_int(header.get("id")) else None
        if kind == "shutdown":
            log.info("shutdown")
            return 0
        if kind == "hello":
            if header.get("protocol") != PROTOCOL:
                message = f"protocol {header.get('protocol')!r} not supported; this worker speaks {PROTOCOL}"
                channel.write({"type": "error", "id": None, "message": message})
                return 2
            if load_error is not None:
                channel.write({"type": "error", "id": None, "message": load_error})
                return 1
            channel.write(models.ready_message())
            ready = True
            continue
        if not ready:
            channel.write({"type": "error", "id": request_id, "message": "handshake first: send hello"})
            continue
        if request_id is None:
            channel.write({"type": "error", "id": None, "message": f"request {kind!r} has no integer \"id\""})
            continue
        started = time.monotonic()
        try:
            if kind == "generate":
                response, out_payloads = serve_generate(models, header, payloads)
            elif kind == "caption":
                response, out_payloads = serve_caption(models, header, payloads)
            elif kind == "score":
                response, out_payloads = serve_score(models, header, payloads)
            else:
                raise RequestError(f"unknown request type {kind!r}")
        except RequestError as error:
            channel.write({"type": "error", "id": request_id, "message": str(error)})
            continue
        except Exception as error:
            log.error("request %s failed: %s", request_id, "".join(traceback.format_exception(error)))
            channel.write({"type": "error", "id": request_id, "message": f"{type(error).__name__}: {error}"})
            continue
        channel.write(response, out_payloads)
        log.info("%s %d: %d items in %.3fs", kind, request_id, len(response["items"]), time.monotonic() - started)


def leave(status):
    """Exits at once: interpreter teardown with torch loaded takes over a second and holds nothing worth saving
    (every answer is already written), so flush the logs and skip it."""
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    try:
        leave(main(sys.argv[1:]))
    except BrokenPipeError:
        leave(3)  # the client went away while we were answering
    except KeyboardInterrupt:
        leave(130)
