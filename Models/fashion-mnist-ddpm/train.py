"""Trains the shipped Fashion-MNIST generator: a class-conditional diffusers UNet2DModel (0.27 M parameters) on
train[0:50000] of Debian's dataset-fashion-mnist, on the CPU, and saves it as a native-generator model folder
(DDPMPipeline.save_pretrained layout + classes.json + sgid.json) with its loss curve. Everything after training
(generation, the samples grid, the consistency figures of MODEL_CARD.md) runs with the native runtime, no Python.

Usage:
  python train.py [--out DIR] [--steps 9000] [--batch 64] [--seed 0] [--threads 2] [--data DIR]
  python train.py --plot-only [--out DIR]     redraws training_loss.png from training_loss.csv

Recipe: images padded 28 -> 32 with black and scaled to [-1, 1] (p / 127.5 - 1); DDPM epsilon loss with the
squaredcos_cap_v2 schedule (1000 steps); 10 % of the labels replaced by the null class 10 (classifier-free guidance);
AdamW (lr 2e-3, betas 0.9/0.999, weight decay 0) with 200 warm-up steps then cosine decay to zero; gradients clipped at
1; an exponential moving average of the weights (decay min(0.999, (1 + step) / (10 + step))) is what is saved.
Deterministic for a seed and thread count: torch's generator drives batches, labels dropped, timesteps and noise.
"""

import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
from diffusers import DDIMScheduler, DDPMPipeline, DDPMScheduler, UNet2DModel

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
NULL_CLASS = len(CLASSES)


def load_idx(path):
    with gzip.open(path, "rb") as handle:
        raw = handle.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def model():
    return UNet2DModel(sample_size=32, in_channels=1, out_channels=1, layers_per_block=1, block_out_channels=(16, 32, 32),
                       down_block_types=("DownBlock2D",) * 3, up_block_types=("UpBlock2D",) * 3,
                       num_class_embeds=NULL_CLASS + 1, norm_num_groups=8)


def save_loss_plot(points, path):
    """A small PNG of the loss curve on a log scale (Pillow only)."""
    from PIL import Image, ImageDraw

    width, height, margin = 640, 320, 40
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    steps = [p[0] for p in points]
    logs = [math.log10(p[1]) for p in points]
    low, high = min(logs), max(logs)

    def xy(step, value):
        x = margin + (width - 2 * margin) * (step - steps[0]) / max(1, steps[-1] - steps[0])
        y = height - margin - (height - 2 * margin) * (value - low) / max(1e-9, high - low)
        return x, y

    draw.rectangle([margin, margin, width - margin, height - margin], outline="gray")
    for decade in range(math.floor(low), math.ceil(high) + 1):
        for mantissa in (1, 2, 5):
            value = math.log10(mantissa) + decade
            if low <= value <= high:
                _, y = xy(steps[0], value)
                draw.line([margin, y, width - margin, y], fill=(225, 225, 225))
                draw.text((4, y - 6), f"{10 ** value:g}", fill="black")
    draw.line([xy(s, v) for s, v in zip(steps, logs)], fill="navy", width=2)
    draw.text((margin, 8), f"training loss (MSE of the noise, smoothed, log scale): {10 ** high:.3f} -> {points[-1][1]:.4f}",
              fill="black")
    draw.text((margin, height - margin + 8), f"step {steps[0]}", fill="black")
    draw.text((width - margin - 80, height - margin + 8), f"step {steps[-1]}", fill="black")
    image.save(path)


def plot_only(folder):
    """Redraws training_loss.png from training_loss.csv."""
    with open(os.path.join(folder, "training_loss.csv")) as handle:
        rows = [line.strip().split(",") for line in handle.readlines()[1:] if line.strip()]
    save_loss_plot([(int(step), float(loss)) for step, loss in rows], os.path.join(folder, "training_loss.png"))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=here)
    parser.add_argument("--steps", type=int, default=9000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--plot-only", action="store_true", help="only redraw training_loss.png from the CSV in --out")
    args = parser.parse_args()
    if args.plot_only:
        plot_only(args.out)
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images = load_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"))[:50000]
    labels = load_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"))[:50000].astype(np.int64)
    padded = np.zeros((len(images), 1, 32, 32), dtype=np.float32)
    padded[:, 0, 2:30, 2:30] = images
    data = torch.from_numpy(padded / 127.5 - 1)  # the black padding becomes -1
    targets = torch.from_numpy(labels)

    unet = model().train()
    ema = model().eval()
    ema.load_state_dict(unet.state_dict())
    for parameter in ema.parameters():
        parameter.requires_grad_(False)
    noise_scheduler = DDPMScheduler(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2")
    optimizer = torch.optim.AdamW(unet.parameters(), lr=2e-3, betas=(0.9, 0.999), weight_decay=0.0)
    warmup = 200
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup)
                                                 * 0.5 * (1 + math.cos(math.pi * min(1.0, max(0, step - warmup) / max(1, args.steps - warmup)))))
    generator = torch.Generator().manual_seed(args.seed)
    curve, smoothed, started, cpu_started = [], None, time.monotonic(), time.process_time()
    for step in range(args.steps):
        index = torch.randint(0, len(data), (args.batch,), generator=generator)
        x0 = data[index]
        y = targets[index].clone()
        y[torch.rand(args.batch, generator=generator) < 0.1] = NULL_CLASS
        t = torch.randint(0, 1000, (args.batch,), generator=generator)
        noise = torch.randn(x0.shape, generator=generator)
        prediction = unet(noise_scheduler.add_noise(x0, noise, t), t, class_labels=y).sample
        loss = torch.nn.functional.mse_loss(prediction, noise)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        decay = min(0.999, (1 + step) / (10 + step))
        with torch.no_grad():
            for averaged, current in zip(ema.parameters(), unet.parameters()):
                averaged.mul_(decay).add_(current, alpha=1 - decay)
        smoothed = loss.item() if smoothed is None else 0.98 * smoothed + 0.02 * loss.item()
        if step % 100 == 0 or step == args.steps - 1:
            curve.append((step, smoothed))
            print(f"step {step}: loss {smoothed:.5f} ({time.monotonic() - started:.0f} s)", flush=True)
    minutes = (time.monotonic() - started) / 60
    cpu_minutes = (time.process_time() - cpu_started) / 60
    scheduler = DDIMScheduler(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2", clip_sample=True)
    DDPMPipeline(unet=ema, scheduler=scheduler).save_pretrained(args.out)
    with open(os.path.join(args.out, "classes.json"), "w") as handle:
        json.dump(CLASSES, handle)
    with open(os.path.join(args.out, "sgid.json"), "w") as handle:
        json.dump({"fit": "pad", "pad_value": 0, "null_class": NULL_CLASS}, handle)
    with open(os.path.join(args.out, "training_loss.csv"), "w") as handle:
        handle.write("step,smoothed_loss\n" + "".join(f"{s},{l:.6f}\n" for s, l in curve))
    save_loss_plot(curve, os.path.join(args.out, "training_loss.png"))
    with open(os.path.join(args.out, "training.json"), "w") as handle:
        json.dump({"steps": args.steps, "batch": args.batch, "seed": args.seed, "threads": args.threads, "minutes": round(minutes, 1), "cpu_minutes": round(cpu_minutes, 1),
                   "final_smoothed_loss": round(smoothed, 6), "data": "train[0:50000]", "torch": torch.__version__,
                   "parameters": sum(p.numel() for p in ema.parameters())}, handle, indent=1)
    print(f"saved {args.out} after {args.steps} steps in {minutes:.1f} min")


if __name__ == "__main__":
    main()
