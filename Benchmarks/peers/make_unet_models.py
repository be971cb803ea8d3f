"""The two UNet2DModel folders of the diffusion benchmark (scripts/bench-diffusion.sh), randomly initialised with a
fixed seed and saved with save_pretrained: "fashion", the shipped Fashion-MNIST architecture (1 channel, 32 px,
channels 16/32/32, one layer per block, 11 class embeddings, 8 groups, mid attention), and "attention64" (3 channels,
64 px, channels 32/64/64, attention at 32 and 16 px and in the mid block, heads of 32, 16 groups).
Usage: make_unet_models.py DIR"""

import os
import sys

import torch
from diffusers import UNet2DModel

MODELS = {
    "fashion": dict(sample_size=32, in_channels=1, out_channels=1, layers_per_block=1, block_out_channels=(16, 32, 32),
                    down_block_types=("DownBlock2D",) * 3, up_block_types=("UpBlock2D",) * 3, num_class_embeds=11,
                    norm_num_groups=8),
    "attention64": dict(sample_size=64, in_channels=3, out_channels=3, layers_per_block=1, block_out_channels=(32, 64, 64),
                        down_block_types=("DownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"),
                        up_block_types=("AttnUpBlock2D", "AttnUpBlock2D", "UpBlock2D"), attention_head_dim=32,
                        norm_num_groups=16),
}

for index, (name, config) in enumerate(MODELS.items()):
    torch.manual_seed(index)
    UNet2DModel(**config).save_pretrained(os.path.join(sys.argv[1], name))
print(sys.argv[1])
