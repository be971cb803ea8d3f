"""Executable reference of the generator worker protocol (Formats/GeneratorProtocol.md, version 2).

Usage: worker_smoke.py [--models DIR] [--worker PATH] [--keep-logs]

Builds the tiny models (make_tiny_models.py, idempotent; default DIR: ${SGID_CACHE:-~/.cache/sgidkit}/tiny-models),
starts Workers/diffusers/sgid_worker.py on them as subprocesses with this interpreter, and checks, frame by frame:
the handshake, captioning, generation with K seeds (plain, with resizing), scoring (cosines, grouping, a worker
without a scorer), determinism (the same request twice gives the same bytes), per-item and per-request errors (the
worker stays up), protocol-version refusal, a malformed frame, a model that fails to load, end of input and shutdown.
(The consistency filter, its retry seeds and similarity-driven guidance are the client's policy since version 2; the
Swift tests cover them.) Prints one line per check, timings, and a closing "N passed, N failed" line; exits non-zero on any failure.
"""

import argparse
import json
import os
import select
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_WORKER = os.path.join(ROOT, "Workers", "diffusers", "sgid_worker.py")
PROTOCOL = 2
TIMEOUT = float(os.environ.get("SGID_SMOKE_TIMEOUT", "300"))

RESULTS = {"passed": 0, "failed": 0}
TIMINGS = {}


def check(name, condition, detail=""):
    if condition:
        RESULTS["passed"] += 1
        print(f"ok    {name}")
    else:
        RESULTS["failed"] += 1
        print(f"FAIL  {name}" + (f": {detail}" if detail else ""))
    return condition


class Broken(Exception):
    pass


class Worker:
    """A client of one worker process: frames over its standard input/output, standard error to a log file."""

    def __init__(self, worker, arguments, logdir, name):
        self.name = name
        self.log_path = os.path.join(logdir, f"{name}.stderr.log")
        self.log = open(self.log_path, "wb")
        env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", SGID_TORCH_THREADS="1")
        self.process = subprocess.Popen([sys.executable, worker] + arguments, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log, env=env)
        self.out_fd = self.process.stdout.fileno()
        self.next_id = 1

    # -- raw frames

    def send(self, header, payloads=()):
        payloads = list(payloads)
        header = dict(header)
        if payloads:
            header["payloads"] = [len(p) for p in payloads]
        raw = json.dumps(header).encode("utf-8")
        self.send_bytes(struct.pack("<I", len(raw)) + raw + b"".join(payloads))

    def send_bytes(self, data):
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def _read_exact(self, count, deadline, allow_eof=False):
        data = bytearray()
        while len(data) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Broken(f"{self.name}: no response within the deadline")
            ready, _, _ = select.select([self.out_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.out_fd, count - len(data))
            if not chunk:
                if allow_eof and not data:
                    return None
                raise Broken(f"{self.name}: end of output inside a frame ({len(data)} of {count} bytes)")
            data += chunk
        return bytes(data)

    def receive(self, timeout=TIMEOUT, allow_eof=False):
        """(header, payloads), or None at end of output when allow_eof. Checks the frame's structure."""
        deadline = time.monotonic() + timeout
        prefix = self._read_exact(4, deadline, allow_eof)
        if prefix is None:
            return None
        (length,) = struct.unpack("<I", prefix)
        if not 1 <= length <= 16 * 1024 * 1024:
            raise Broken(f"{self.name}: header length {length}")
        header = json.loads(self._read_exact(length, deadline).decode("utf-8"))
        if not isinstance(header, dict) or not isinstance(header.get("type"), str):
            raise Broken(f"{self.name}: header is not an object with a type: {header!r}")
        lengths = header.get("payloads", [])
        if not isinstance(lengths, list) or not all(isinstance(n, int) and n >= 0 for n in lengths):
            raise Broken(f"{self.name}: bad payloads list {lengths!r}")
        payloads = [self._read_exact(n, deadline) for n in lengths]
        return header, payloads

    # -- requests

    def request(self, kind, items, payloads, timeout=TIMEOUT, request_id=None, **fields):
        if request_id is None:
            request_id = self.next_id
            self.next_id += 1
        self.send(dict({"type": kind, "id": request_id, "items": items}, **fields), payloads)
        frame = self.receive(timeout)
        if frame is None:
            raise Broken(f"{self.name}: end of output")
        if frame[0].get("id") != request_id:
            raise Broken(f"{self.name}: response id {frame[0].get('id')!r} for request {request_id}")
        return frame

    def wait_exit(self, timeout=60):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def stop(self):
        if self.process.poll() is None:
            try:
                self.send({"type": "shutdown"})
                self.process.stdin.close()
            except (BrokenPipeError, OSError):
                pass
            self.wait_exit(30)
        self.log.close()

    def log_tail(self, lines=25):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as handle:
                return "".join(handle.readlines()[-lines:])
        except OSError:
            return ""


# ----------------------------------------------------------------------------------------------------------------------
# Test data


def source_image(width, height, phase):
    """Deterministic RGB bytes: smooth gradients and a bright square, different for each phase."""
    import numpy as np

    y, x = np.mgrid[0:height, 0:width]
    image = np.stack([(x * 255 // max(width - 1, 1) + phase * 40) % 256, (y * 255 // max(height - 1, 1) + phase * 90) % 256,
                      ((x + y) * 2 + phase * 17) % 256], axis=-1).astype(np.uint8)
    image[height // 4:height // 2, width // 4:width // 2] = (250, 240 - phase * 30, 40 + phase * 50)
    return image.tobytes()


def generate_item(key, seeds, **overrides):
    item = {"key": key, "width": 64, "height": 64, "prompt": "a photo of a dog, a dog running in the park",
            "negative_prompt": None, "strength": 0.5, "guidance": 7.5, "steps": 4,
            "seeds": seeds, "output_width": 64, "output_height": 64}
    item.update(overrides)
    return item


def item_payload_slices(items_out, payloads):
    """Maps each successful item's variants to their payloads, in order; checks that the counts add up."""
    expected = sum(len(item["variants"]) for item in items_out if "variants" in item)
    if expected != len(payloads):
        raise Broken(f"{len(payloads)} payloads for {expected} variants")
    out, index = [], 0
    for item in items_out:
        count = len(item.get("variants", []))
        out.append(payloads[index:index + count])
        index += count
    return out


def max_abs_difference(a, b):
    import numpy as np

    return int(np.abs(np.frombuffer(a, np.uint8).astype(np.int16) - np.frombuffer(b, np.uint8).astype(np.int16)).max())


def check_variant_records(name, item_out, requested, width, height):
    variants = item_out.get("variants")
    if not check(f"{name}: one variant record per seed", isinstance(variants, list) and len(variants) == len(requested),
                 json.dumps(item_out)[:300]):
        return
    check(f"{name}: variant records carry exactly seed, width, height",
          all(set(v) == {"seed", "width", "height"} for v in variants), json.dumps(variants)[:300])
    check(f"{name}: seeds in order", [v["seed"] for v in variants] == requested)
    check(f"{name}: variant sizes {width}x{height}", all(v["width"] == width and v["height"] == height for v in variants))


# ----------------------------------------------------------------------------------------------------------------------
# Scenarios


def full_worker(worker_path, models, logdir):
    """Worker with generator, captioner and scorer; --batch 2 so that K=3 takes two pipeline calls."""
    worker = Worker(worker_path, ["--model", models["sd"], "--captioner", models["blip"], "--clip", models["clip"],
                                  "--device", "cpu", "--batch", "2"], logdir, "full")
    try:
        started = time.monotonic()
        # A request before the handshake is refused, and the worker stays up.
        worker.send({"type": "generate", "id": 99, "items": []})
        header, _ = worker.receive()
        check("before hello: a request is answered with an error carrying its id",
              header.get("type") == "error" and header.get("id") == 99, json.dumps(header))

        worker.send({"type": "hello", "protocol": PROTOCOL})
        header, payloads = worker.receive()
        TIMINGS["worker start + handshake (s)"] = round(time.monotonic() - started, 2)
        check("hello: ready, protocol 2, no payloads", header.get("type") == "ready" and header.get("protocol") == PROTOCOL
              and not payloads, json.dumps(header)[:400])
        generator = header.get("generator") or {}
        check("hello: generator names model, revision, pipeline, scheduler and its config",
              generator.get("model") == models["sd"] and "revision" in generator
              and generator.get("pipeline") == "StableDiffusionImg2ImgPipeline"
              and isinstance(generator.get("scheduler"), str) and isinstance(generator.get("scheduler_config"), dict)
              and "num_train_timesteps" in generator["scheduler_config"], json.dumps(generator)[:400])
        check("hello: captioner and scorer described", isinstance(header.get("captioner"), dict)
              and header["captioner"].get("model") == models["blip"] and isinstance(header.get("scorer"), dict)
              and header["scorer"].get("model") == models["clip"])
        check("hello: cpu, float32", header.get("device") == "cpu" and header.get("dtype") == "float32")
        factor = generator.get("vae_scale_factor", 8)

        # Captions: one bad item among good ones.
        images = [source_image(64, 64, phase) for phase in range(3)]
        items = [{"key": "cls0/a.jpg", "width": 64, "height": 64}, {"key": "cls0/bad.jpg", "width": 64, "height": 65},
                 {"key": "cls1/c.jpg", "width": 64, "height": 64}]
        header, payloads = worker.request("caption", items, images)
        out = header.get("items", [])
        check("caption: a 'captions' response, one record per item, keys in order",
              header.get("type") == "captions" and [i.get("key") for i in out] == [i["key"] for i in items] and not payloads,
              json.dumps(header)[:400])
        check("caption: good items get a string caption", len(out) == 3 and isinstance(out[0].get("caption"), str)
              and isinstance(out[2].get("caption"), str) and "error" not in out[0], json.dumps(out)[:400])
        check("caption: size-mismatched item gets an error, not a caption", len(out) == 3 and "error" in out[1]
              and "caption" not in out[1], json.dumps(out)[:400])
        again, _ = worker.request("caption", items, images, request_id=header["id"] + 1000)
        check("caption: deterministic (same request, same captions)", again.get("items") == out)

        # Generate: K=3, a bad item, K=3 of another source.
        gen_items = [
            generate_item("cls0/a.jpg", [11, 22, 33]),
            generate_item("cls0/bad.jpg", [1, 2, 3], height=63),
            generate_item("cls1/c.jpg", [7, 8, 9], guidance=3.0),
        ]
        gen_payloads = [images[0], images[1][:64 * 63 * 3 - 5], images[2]]
        started = time.monotonic()
        header, payloads = worker.request("generate", gen_items, gen_payloads)
        TIMINGS["generate: 2 items x K=3, 64x64, 4 steps x strength 0.5 (s)"] = round(time.monotonic() - started, 3)
        out = header.get("items", [])
        check("generate: a 'generated' response, one record per item, keys in order",
              header.get("type") == "generated" and [i.get("key") for i in out] == [i["key"] for i in gen_items],
              json.dumps(header)[:400])
        check("generate: payload-size mismatch fails that item only", len(out) == 3 and "error" in out[1]
              and "variants" not in out[1] and "variants" in out[0] and "variants" in out[2], json.dumps(out)[:600])
        per_item = item_payload_slices(out, payloads)
        check("generate: 6 payloads of 64x64x3 bytes", len(payloads) == 6 and all(len(p) == 64 * 64 * 3 for p in payloads))
        check_variant_records("generate", out[0], [11, 22, 33], 64, 64)
        check_variant_records("generate other source", out[2], [7, 8, 9], 64, 64)
        check("generate: no policy fields in the answer (version 2)",
              all(k not in out[0] for k in ("guidance", "similarity")), json.dumps(out[0])[:200])
        check("generate: different seeds give different images", len(set(per_item[0])) == 3 and len(set(per_item[2])) == 3)
        check("generate: different sources give different images", not set(per_item[0]) & set(per_item[2]))
        first = (header, payloads)

        again, again_payloads = worker.request("generate", gen_items, gen_payloads)
        check("generate: deterministic (same request twice: same header, same bytes)",
              again.get("items") == first[0].get("items") and again_payloads == first[1])

        # Resizing to another output size; invalid fields are item errors.
        resize_items = [
            generate_item("resize", [5], output_width=48, output_height=32),
            generate_item("zero-strength", [5], strength=0.0),
            generate_item("no-step-left", [5], steps=1, strength=0.5),
            generate_item("odd-size", [5], output_width=8 * factor + 1),
            generate_item("bad-seed", [-1]),
            generate_item("no-prompt", [5], prompt=None),
        ]
        header, payloads = worker.request("generate", resize_items, [images[0]] * len(resize_items))
        out = header.get("items", [])
        check("resize: output_width x output_height honoured", len(out) == 6 and "variants" in out[0]
              and len(payloads) == 1 and len(payloads[0]) == 48 * 32 * 3
              and out[0]["variants"][0]["width"] == 48 and out[0]["variants"][0]["height"] == 32, json.dumps(out)[:400])
        check("invalid fields (strength 0, steps x strength < 1, size not a multiple of the VAE factor, negative seed, "
              "missing prompt) are item errors", len(out) == 6 and all("error" in i for i in out[1:]), json.dumps(out)[:800])

        # Score: cosines against the request's text, a bad item failing alone, grouping, determinism.
        variant_images = per_item[0]
        score_items = [{"key": f"v{j}", "width": 64, "height": 64} for j in range(3)]
        header, payloads = worker.request("score", score_items, variant_images, text="a photo of a dog")
        out = header.get("items", [])
        scores = [i.get("score") for i in out]
        check("score: a 'scores' response, one cosine in [-1, 1] per item, keys in order",
              header.get("type") == "scores" and [i.get("key") for i in out] == ["v0", "v1", "v2"] and not payloads
              and all(isinstance(x, float) and -1.0001 <= x <= 1.0001 for x in scores), json.dumps(header)[:400])
        again, _ = worker.request("score", score_items, variant_images, text="a photo of a dog")
        check("score: deterministic (same request, same scores)", [i.get("score") for i in again.get("items", [])] == scores)
        other, _ = worker.request("score", score_items, variant_images, text="a red car on the street")
        check("score: the text changes the scores", [i.get("score") for i in other.get("items", [])] != scores)
        alone, _ = worker.request("score", score_items[1:2], variant_images[1:2], text="a photo of a dog")
        check("score: an image scored alone matches its batched score up to float rounding",
              abs(alone["items"][0]["score"] - scores[1]) < 1e-4, json.dumps(alone)[:200])
        mixed_items = [score_items[0], {"key": "bad", "width": 64, "height": 65}, score_items[2]]
        header, _ = worker.request("score", mixed_items, [variant_images[0], variant_images[1], variant_images[2]],
                                   text="a photo of a dog")
        out = header.get("items", [])
        check("score: a size-mismatched item gets an error, the others scores", len(out) == 3 and "error" in out[1]
              and isinstance(out[0].get("score"), float) and isinstance(out[2].get("score"), float), json.dumps(out)[:400])
        header, _ = worker.request("score", score_items, variant_images)
        check("score without a text: request error with its id", header.get("type") == "error", json.dumps(header))

        # Request-level errors leave the worker up.
        header, payloads = worker.request("generate", [generate_item("x", [1])], [])
        check("items/payloads count mismatch: request error with its id", header.get("type") == "error"
              and isinstance(header.get("message"), str), json.dumps(header))
        header, _ = worker.request("paint", [], [])
        check("unknown request type: error with its id", header.get("type") == "error", json.dumps(header))
        worker.send({"type": "caption", "items": []})
        header, _ = worker.receive()
        check("request without an id: error with id null", header.get("type") == "error" and header.get("id") is None)
        header, payloads = worker.request("generate", [], [])
        check("empty generate: empty answer", header.get("type") == "generated" and header.get("items") == [] and not payloads)

        # Timing of one generate request, K=3, 64x64, 4 steps.
        started = time.monotonic()
        worker.request("generate", [generate_item("timing", [1, 2, 3])], [images[0]])
        TIMINGS["generate: 1 item x K=3, 64x64, 4 steps x strength 0.5, --batch 2 (s)"] = round(time.monotonic() - started, 3)
        started = time.monotonic()
        worker.request("generate", [generate_item("timing", [1, 2, 3], steps=8, strength=1.0)], [images[0]])
        TIMINGS["generate: 1 item x K=3, 64x64, 8 steps x strength 1.0, --batch 2 (s)"] = round(time.monotonic() - started, 3)

        # Shutdown: exit status 0, nothing more on standard output.
        worker.send({"type": "shutdown"})
        rest = worker.receive(timeout=30, allow_eof=True)
        status = worker.wait_exit(30)
        check("shutdown: no answer, exit status 0", rest is None and status == 0, f"status {status}, extra {rest!r}")
        return first
    except Exception:
        print(worker.log_tail(), file=sys.stderr)
        raise
    finally:
        worker.stop()


def minimal_worker(worker_path, models, logdir, full_first):
    """Generator only, --batch 1: no captioner, no scorer; compares with the batched worker's images."""
    worker = Worker(worker_path, ["--model", models["sd"], "--batch", "1"], logdir, "minimal")
    try:
        worker.send({"type": "hello", "protocol": PROTOCOL})
        header, _ = worker.receive()
        check("minimal hello: captioner and scorer null", header.get("type") == "ready"
              and header.get("captioner") is None and header.get("scorer") is None, json.dumps(header)[:300])
        image = source_image(64, 64, 0)
        header, _ = worker.request("caption", [{"key": "a", "width": 64, "height": 64}], [image])
        check("minimal: caption without a captioner is a request error", header.get("type") == "error", json.dumps(header))
        header, _ = worker.request("score", [{"key": "a", "width": 64, "height": 64}], [image], text="a photo of a dog")
        check("minimal: score without a scorer is a request error", header.get("type") == "error", json.dumps(header))
        items = [generate_item("cls0/a.jpg", [11, 22, 33])]
        header, payloads = worker.request("generate", items, [image])
        out = header.get("items", [])
        check_variant_records("minimal generate", out[0] if out else {}, [11, 22, 33], 64, 64)
        differences = [max_abs_difference(a, b) for a, b in zip(payloads, full_first[1][:3])]
        TIMINGS["max pixel difference --batch 1 vs --batch 2"] = max(differences)
        check(f"--batch 1 and --batch 2 give the same images up to rounding (max diff {max(differences)})",
              len(payloads) == 3 and max(differences) <= 2)
        # End of input (client closed stdin) -> clean exit.
        worker.process.stdin.close()
        status = worker.wait_exit(30)
        check("end of input: exit status 0", status == 0, f"status {status}")
    except Exception:
        print(worker.log_tail(), file=sys.stderr)
        raise
    finally:
        worker.stop()


def refusal_workers(worker_path, models, logdir):
    worker = Worker(worker_path, ["--model", models["sd"]], logdir, "version")
    try:
        worker.send({"type": "hello", "protocol": 1})
        header, _ = worker.receive()
        status = worker.wait_exit(30)
        check("protocol 1 (the retired version): error with id null, then exit", header.get("type") == "error" and header.get("id") is None
              and isinstance(header.get("message"), str) and status is not None, f"{header} status {status}")
    finally:
        worker.stop()

    worker = Worker(worker_path, ["--model", models["sd"]], logdir, "malformed")
    try:
        worker.send({"type": "hello", "protocol": PROTOCOL})
        worker.receive()
        worker.send_bytes(struct.pack("<I", 0))
        rest = worker.receive(timeout=30, allow_eof=True)
        status = worker.wait_exit(30)
        check("malformed frame (header length 0): connection closed, non-zero exit", rest is None
              and status not in (None, 0), f"status {status}")
    finally:
        worker.stop()

    worker = Worker(worker_path, ["--model", models["sd"]], logdir, "truncated")
    try:
        worker.send({"type": "hello", "protocol": PROTOCOL})
        worker.receive()
        raw = json.dumps({"type": "caption", "id": 1, "items": [], "payloads": [100]}).encode()
        worker.send_bytes(struct.pack("<I", len(raw)) + raw + b"x" * 10)
        worker.process.stdin.close()
        rest = worker.receive(timeout=30, allow_eof=True)
        status = worker.wait_exit(30)
        check("truncated payload: connection closed, non-zero exit", rest is None and status not in (None, 0),
              f"status {status}")
    finally:
        worker.stop()

    worker = Worker(worker_path, ["--model", os.path.join(logdir, "no-such-model")], logdir, "missing")
    try:
        worker.send({"type": "hello", "protocol": PROTOCOL})
        header, _ = worker.receive()
        status = worker.wait_exit(30)
        check("model that fails to load: hello answered with an error (id null), non-zero exit",
              header.get("type") == "error" and header.get("id") is None and status not in (None, 0),
              f"{header} status {status}")
    finally:
        worker.stop()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cache = os.environ.get("SGID_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "sgidkit"))
    parser.add_argument("--models", default=os.path.join(cache, "tiny-models"))
    parser.add_argument("--worker", default=DEFAULT_WORKER)
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args(argv)

    started = time.monotonic()
    built = subprocess.run([sys.executable, os.path.join(HERE, "make_tiny_models.py"), args.models],
                           stdout=subprocess.PIPE, check=True, env=dict(os.environ, HF_HUB_OFFLINE="1"))
    models = json.loads(built.stdout.decode().strip().splitlines()[-1])
    TIMINGS["make_tiny_models (s, built=%s)" % models["built"]] = round(time.monotonic() - started, 2)

    logdir = tempfile.mkdtemp(prefix="sgid-worker-smoke-")
    try:
        first = full_worker(args.worker, models, logdir)
        minimal_worker(args.worker, models, logdir, first)
        refusal_workers(args.worker, models, logdir)
    except Broken as error:
        check("protocol exchange", False, str(error))
    for name, value in TIMINGS.items():
        print(f"time  {name}: {value}")
    if args.keep_logs or RESULTS["failed"]:
        print(f"worker logs: {logdir}")
    else:
        import shutil

        shutil.rmtree(logdir, ignore_errors=True)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
