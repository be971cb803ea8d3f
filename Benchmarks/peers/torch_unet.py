"""PyTorch CPU peer of the native UNet benchmark (scripts/bench-diffusion.sh): the same UNet2DModel folder, the same
batch of N(0, 1) samples, timesteps and labels, torch.set_num_threads(T), inference mode; the fastest of ROUNDS
passes after one warm-up. Prints one JSON line (img/s, peak RSS)."""

import argparse
import json
import resource
import time

import torch
from diffusers import UNet2DModel

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--batch", type=int, default=64)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--rounds", type=int, default=5)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.set_num_interop_threads(1)
model = UNet2DModel.from_pretrained(args.model).eval()
size, channels = model.config.sample_size, model.config.in_channels
sample = torch.randn(args.batch, channels, size, size, generator=torch.Generator().manual_seed(7))
timesteps = torch.tensor([(i * 997) % 1000 for i in range(args.batch)])
kwargs = {}
if model.config.num_class_embeds:
    kwargs["class_labels"] = torch.tensor([i % model.config.num_class_embeds for i in range(args.batch)])
best = float("inf")
with torch.inference_mode():
    model(sample, timesteps, **kwargs)
    for _ in range(args.rounds):
        start = time.perf_counter()
        model(sample, timesteps, **kwargs)
        best = min(best, time.perf_counter() - start)
print(json.dumps({"program": "pytorch", "model": args.model, "batch": args.batch, "threads": torch.get_num_threads(),
                  "images_per_second": args.batch / best, "seconds_per_batch": best, "torch": torch.__version__,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
