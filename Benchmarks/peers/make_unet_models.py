"""The two UNet2DModel folders of the diffusion benchmark (scripts/bench-diffusion.sh), randomly initialised with a
fixed seed and saved with save_pretrained: "fashion", the shipped Fashion-MNIST architecture (1 channel, 32 px,
channels 16/32/32, one layer per block, 11 class embeddings, 8 groups, mid attention), and "attention64" (3 channels,
64 px, channels 32/64/64, attention at 32 and 16 px and in the mid block, heads of 32, 16 groups).
Also DIR/fashion-pipeline, the "fashion" UNet as a native-generator model folder (DDPMPipeline.save_pretrained with a
DDIM squaredcos_cap_v2 scheduler, classes.json, sgid.json with fit "pad"), and DIR/precompute-images, an ImageFolder
of 48 gray 28×28 PNGs in 3 of its classes, for the precompute comparison.
Usage: make_unet_models.py DIR"""

import os
import sys

import json

import numpy as np
import torch
from diffusers import DDIMScheduler, DDPMPipeline, UNet2DModel
from PIL import Image

MODELS = {
    "fashion": dict(sample_size=32, in_channels=1, out_channels=1, layers_per_block=1, block_out_channels=(16, 32, 32),
                    down_block_types=("DownBlock2D",) * 3, up_block_types=("UpBlock2D",) * 3, num_class_embeds=11,
                    norm_num_groups=8),
    "attention64": dict(sample_size=64, in_channels=3, out_channels=3, layers_per_block=1, block_out_channels=(32, 64, 64),
                        down_block_types=("DownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"),
                        up_block_types=("AttnUpBlock2D", "AttnUpBlock2D", "UpBlock2D"), attention_head_dim=32,
                        norm_num_groups=16),
}

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

root = sys.argv[1]
for index, (name, config) in enumerate(MODELS.items()):
    torch.manual_seed(index)
    model = UNet2DModel(**config)
    model.save_pretrained(os.path.join(root, name))
    if name == "fashion":
        pipeline = os.path.join(root, "fashion-pipeline")
        DDPMPipeline(unet=model, scheduler=DDIMScheduler(beta_schedule="squaredcos_cap_v2")).save_pretrained(pipeline)
        json.dump(CLASSES, open(os.path.join(pipeline, "classes.json"), "w"))
        json.dump({"fit": "pad", "pad_value": 0}, open(os.path.join(pipeline, "sgid.json"), "w"))
rng = np.random.default_rng(5)
for name in ["Coat", "Trouser", "Bag"]:
    folder = os.path.join(root, "precompute-images", name)
    os.makedirs(folder, exist_ok=True)
    for index in range(16):
        y, x = np.mgrid[0:28, 0:28]
        pixels = ((np.sin(x / (3 + index % 5)) + np.cos(y / (2 + index % 3))) * 60 + 120 + rng.normal(0, 10, (28, 28)))
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L").save(os.path.join(folder, f"{index}.png"))
print(root)
