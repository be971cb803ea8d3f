"""Live timm / torchvision policy sampling and fixed-operation outputs, for the Swift policy tests.

Usage:
  policy_stats.py tables                              torchvision magnitude tables (linspace, posterize bits)
  policy_stats.py timm_rand CONFIG DRAWS INTERP        timm RandAugment draws ("random" or a fixed filter)
  policy_stats.py timm_auto CONFIG DRAWS               timm AutoAugment draws
  policy_stats.py augmix CONFIG DRAWS                  timm AugMix draws
  policy_stats.py tv KIND DRAWS W H [N M BINS]         torchvision randaugment | trivial | autoaugment draws
  policy_stats.py apply IMAGE W H C JOBS OUT           fixed operations on a raw image (see below)
  policy_stats.py all DRAWS                            every sampling request of the Swift tests plus the tables,
                                                       keyed by request name (one process: torch imports once)

Sampling modes replace the operations by recorders (timm's `aug_fn`, torchvision's `_apply_op`) so the live
samplers run unchanged and every drawn argument is printed as JSON events:
  {"source": ..., "events": [[image, op, applied, argument, interpolation], ...], "extra": {...}}
`apply` reads JOBS (a JSON list of [library, op, argument, interpolation, fill]) and writes the outputs, concatenated,
to OUT; library "augmix" runs timm's `_apply_basic` (or `_apply_blended` when "blended" is true) with fixed chains:
[..., {"weights", "mix", "chains", "blended"}].
"""
import json
import sys

import numpy as np
from PIL import Image

RESAMPLE = {"nearest": Image.Resampling.NEAREST, "bilinear": Image.Resampling.BILINEAR,
            "bicubic": Image.Resampling.BICUBIC}
NAMES = {v: k for k, v in RESAMPLE.items()}
MEAN = (124, 116, 104)


def timm_hparams(interp="random", translate_pct=None):
    hparams = dict(translate_const=250, img_mean=MEAN)
    if interp != "random":
        hparams["interpolation"] = RESAMPLE[interp]
    if translate_pct is not None:
        hparams["translate_pct"] = translate_pct
    return hparams


def timm_recorders(events, counter):
    """Patches timm so every AugmentOp call is recorded (selection, skip, argument, filter)."""
    from timm.data import auto_augment as aa

    original_call = aa.AugmentOp.__call__

    def call(self, img):
        events.append([counter[0], self.name, False, 0.0, None])
        return original_call(self, img)

    def recorder(name):
        def record(img, *args, **kwargs):
            interpolation = None
            if "resample" in kwargs and name in ("Rotate", "ShearX", "ShearY", "TranslateX", "TranslateY",
                                                 "TranslateXRel", "TranslateYRel"):
                aa._check_args_tf(kwargs)
                interpolation = NAMES[kwargs["resample"]]
            argument = float(args[0]) if args else 0.0
            if name == "GaussianBlurRand":  # timm draws the radius inside the operation; record it
                import random
                argument = float(random.uniform(0.1, 2.0 * argument))
            events[-1] = [counter[0], name, True, argument, interpolation]
            return img
        return record

    aa.AugmentOp.__call__ = call
    return aa, recorder


def sample_timm(kind, config, draws, interp):
    from timm.data import auto_augment as aa
    events, counter = [], [0]
    aa, recorder = timm_recorders(events, counter)
    extra = {}
    if kind == "rand":
        transform = aa.rand_augment_transform(config, timm_hparams(interp))
        ops = transform.ops
    elif kind == "auto":
        transform = aa.auto_augment_transform(config, timm_hparams(interp))
        ops = [op for sub in transform.policy for op in sub]
    else:
        transform = aa.augment_and_mix_transform(config, timm_hparams(interp, translate_pct=0.3))
        ops = transform.ops
        weights, mixes = [], []
        original_basic = aa.AugMixAugment._apply_basic

        def basic(self, img, mixing_weights, m):
            weights.append([float(w) for w in mixing_weights])
            mixes.append(float(m))
            return img
        # Run the real chain sampling, then skip the pixel mixing.

        def basic_with_chains(self, img, mixing_weights, m):
            for _ in mixing_weights:
                depth = self.depth if self.depth > 0 else np.random.randint(1, 4)
                for op in np.random.choice(self.ops, depth, replace=True):
                    op(img)
            return basic(self, img, mixing_weights, m)
        assert original_basic is not None
        aa.AugMixAugment._apply_basic = basic_with_chains
        extra = {"weights": weights, "mixes": mixes}
    for op in ops:
        op.aug_fn = recorder(op.name)
    image = Image.new("RGB", (8, 8))
    for index in range(draws):
        counter[0] = index
        transform(image)
    return {"source": "timm", "events": events, "extra": extra}


def sample_tv(kind, draws, width, height, rest):
    import torch
    from torchvision.transforms import autoaugment as tva
    torch.manual_seed(0)
    events, counter = [], [0]

    def record(img, op_name, magnitude, interpolation, fill):
        events.append([counter[0], op_name, True, float(magnitude), None])
        return img
    tva._apply_op = record
    extra = {"policies": []}
    if kind == "randaugment":
        n, m, bins = (int(v) for v in rest)
        transform = tva.RandAugment(num_ops=n, magnitude=m, num_magnitude_bins=bins)
    elif kind == "trivial":
        transform = tva.TrivialAugmentWide(num_magnitude_bins=int(rest[0]) if rest else 31)
    else:
        transform = tva.AutoAugment(tva.AutoAugmentPolicy(rest[0] if rest else "imagenet"))
        original = tva.AutoAugment.get_params

        def get_params(count):
            params = original(count)
            extra["policies"].append(int(params[0]))
            return params
        tva.AutoAugment.get_params = staticmethod(get_params)
    image = Image.new("RGB", (width, height))
    for index in range(draws):
        counter[0] = index
        transform(image)
    return {"source": "torchvision", "events": events, "extra": extra}


def tables():
    import torch
    out = {"linspace": [], "posterize": []}
    for bins in range(2, 41):
        for end in (0.3, 0.99, 0.9, 30.0, 135.0, 32.0, 150.0 / 331.0 * 224, 150.0 / 331.0 * 97):
            out["linspace"].append([0.0, end, bins, [float(v) for v in torch.linspace(0.0, end, bins)]])
        out["linspace"].append([255.0, 0.0, bins, [float(v) for v in torch.linspace(255.0, 0.0, bins)]])
        for levels in (4, 6):
            bits = (8 - (torch.arange(bins) / ((bins - 1) / levels)).round().int()).tolist()
            out["posterize"].append([bins, levels, bits])
    # Policy tables (seed-independent): torchvision's AutoAugment sub-policies, timm's 3a policy and RandAugment sets.
    from torchvision.transforms import autoaugment as tva
    from timm.data import auto_augment as aa
    out["tv_policies"] = {policy.value: [[list(entry) for entry in sub] for sub in
                                          tva.AutoAugment(policy)._get_policies(policy)]
                          for policy in tva.AutoAugmentPolicy}
    out["timm_auto"] = {name: [[[op.name, op.prob, op.magnitude] for op in sub] for sub in aa.auto_augment_policy(name, {})]
                        for name in ("v0", "v0r", "original", "originalr", "3a")}
    rand_sets = {}
    for set_name in ("weights", "3a", "3aw"):
        transform = aa.rand_augment_transform(f"rand-t{set_name}", {})
        weights = transform.choice_weights
        rand_sets[set_name] = {"ops": [op.name for op in transform.ops],
                               "weights": None if weights is None else [float(w) for w in weights]}
    out["timm_rand_sets"] = rand_sets
    return out


def apply_jobs(path, width, height, channels, jobs_path, out_path):
    from timm.data import auto_augment as aa
    from torchvision.transforms import autoaugment as tva
    from torchvision.transforms import InterpolationMode
    mode = {1: "L", 3: "RGB"}[channels]
    with open(path, "rb") as handle:
        image = Image.frombytes(mode, (width, height), handle.read())
    with open(jobs_path) as handle:
        jobs = json.load(handle)
    tv_modes = {"nearest": InterpolationMode.NEAREST, "bilinear": InterpolationMode.BILINEAR,
                "bicubic": InterpolationMode.BICUBIC}
    with open(out_path, "wb") as out:
        for library, name, argument, interpolation, fill in jobs:
            fill_value = tuple(fill) if channels > 1 else fill[0]
            if library == "timm":
                # GaussianBlurRand's argument is the radius already drawn (as the Swift draw records it).
                function = aa.gaussian_blur if name == "GaussianBlurRand" else aa.NAME_TO_OP[name]
                args = () if aa.LEVEL_TO_ARG[name] is None else (argument,)
                if name in ("Posterize", "PosterizeIncreasing", "PosterizeOriginal", "Solarize",
                            "SolarizeIncreasing", "SolarizeAdd"):
                    args = (int(argument),)
                result = function(image, *args, fillcolor=fill_value, resample=RESAMPLE[interpolation])
            elif library == "tv":
                result = tva._apply_op(image, name, argument, interpolation=tv_modes[interpolation], fill=list(fill))
            else:
                spec = argument

                class FixedOp:
                    def __init__(self, op_name, arg, interp):
                        self.op_name, self.arg, self.interp = op_name, arg, interp

                    def __call__(self, img):
                        function = aa.NAME_TO_OP[self.op_name]
                        args = () if aa.LEVEL_TO_ARG[self.op_name] is None else (self.arg,)
                        if "Posterize" in self.op_name or "Solarize" in self.op_name:
                            args = (int(self.arg),)
                        return function(img, *args, fillcolor=fill_value,
                                        resample=RESAMPLE[self.interp or "bicubic"])
                chains = [[FixedOp(*op) for op in chain] for chain in spec["chains"]]
                depths = iter([len(chain) for chain in chains])
                chain_iter = iter(chains)
                transform = aa.AugMixAugment([], width=len(chains), depth=-1)
                saved_randint, saved_choice = np.random.randint, np.random.choice
                np.random.randint = lambda *a, **k: next(depths)
                np.random.choice = lambda *a, **k: next(chain_iter)
                try:
                    mixer = transform._apply_blended if spec.get("blended") else transform._apply_basic
                    result = mixer(image, np.array(spec["weights"], dtype=np.float32), np.float32(spec["mix"]))
                finally:
                    np.random.randint, np.random.choice = saved_randint, saved_choice
            out.write(result.tobytes())


ALL_REQUESTS = {
    "rand-m9-n2-mstd0.5": ("timm", "rand", "rand-m9-n2-mstd0.5", "random"),
    "rand-m7-n3-p0.7-inc1-mstd0": ("timm", "rand", "rand-m7-n3-p0.7-inc1-mstd0", "random"),
    "rand-m9-n2-mstd101-bilinear": ("timm", "rand", "rand-m9-n2-mstd101", "bilinear"),
    "rand-m11-n1-mmax14-mstd2-p1": ("timm", "rand", "rand-m11-n1-mmax14-mstd2-p1", "random"),
    "v0-mstd0.5": ("timm", "auto", "v0-mstd0.5", "random"),
    "original": ("timm", "auto", "original", "random"),
    "augmix-m3-w3": ("timm", "augmix", "augmix-m3-w3", "random"),
    "tv_randaugment-2-9-31": ("tv", "randaugment", ["2", "9", "31"]),
    "tv_randaugment-3-5-11": ("tv", "randaugment", ["3", "5", "11"]),
    "trivialaugment-31": ("tv", "trivial", ["31"]),
    "autoaugment-imagenet": ("tv", "autoaugment", []),
    "autoaugment-cifar10": ("tv", "autoaugment", ["cifar10"]),
    "autoaugment-svhn": ("tv", "autoaugment", ["svhn"]),
    "rand-mstd1-tweights": ("timm", "rand", "rand-mstd1-tweights", "random"),
    "rand-m9-n3-mstd0.5-inc1-t3aw": ("timm", "rand", "rand-m9-n3-mstd0.5-inc1-t3aw", "random"),
    "rand-m7-n2-t3a": ("timm", "rand", "rand-m7-n2-t3a", "random"),
    "3a": ("timm", "auto", "3a", "random"),
    "3a-mstd1": ("timm", "auto", "3a-mstd1", "random"),
}


def run_all(draws):
    import random
    import importlib
    results = {}
    for key, request in ALL_REQUESTS.items():
        random.seed(0)
        np.random.seed(0)
        # Fresh modules so one request's recorders do not leak into the next.
        from timm.data import auto_augment
        from torchvision.transforms import autoaugment
        importlib.reload(auto_augment)
        importlib.reload(autoaugment)
        if request[0] == "timm":
            results[key] = sample_timm(request[1], request[2], draws, request[3])
        else:
            results[key] = sample_tv(request[1], draws, 224, 97, request[2])
    results["tables"] = tables()
    return results


def main():
    mode = sys.argv[1]
    if mode == "all":
        result = run_all(int(sys.argv[2]))
    elif mode == "tables":
        result = tables()
    elif mode in ("timm_rand", "timm_auto", "augmix"):
        kind = {"timm_rand": "rand", "timm_auto": "auto", "augmix": "augmix"}[mode]
        interp = sys.argv[4] if len(sys.argv) > 4 else "random"
        result = sample_timm(kind, sys.argv[2], int(sys.argv[3]), interp)
    elif mode == "tv":
        result = sample_tv(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6:])
    elif mode == "apply":
        apply_jobs(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7])
        result = {"ok": True}
    else:
        raise SystemExit(f"unknown mode {mode}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
