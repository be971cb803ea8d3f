"""The live diffusers peer of the native runtime (Sources/Diffusion): randomly initialised UNet2DModels saved with
save_pretrained, their outputs on given inputs, and whole img2img trajectories with diffusers' own schedulers.

Usage:
  diffusers_parity.py unet DIR      writes DIR/<case>/ (config.json, diffusion_pytorch_model.safetensors) for every case
                                    of CASES, and DIR/<case>/io.safetensors: "sample" [B, C, H, W], "timesteps" [B],
                                    "class_labels" [B] (when class-conditional), "output" [B, C_out, H, W]
  diffusers_parity.py pipeline DIR  writes DIR as DDPMPipeline.save_pretrained does (unet/, scheduler/ with a DDIM
                                    squaredcos_cap_v2 schedule, model_index.json), of the randomised "fashion" UNet,
                                    plus classes.json (Fashion-MNIST's ten names) and sgid.json ({"fit": "pad"}): a
                                    native-generator model folder
  diffusers_parity.py img2img DIR   writes DIR/<model>/ and, per trajectory of TRAJECTORIES, DIR/<name>/:
                                    scheduler/scheduler_config.json, trajectory.safetensors ("source" uint8 as float
                                    [B, C, H, W], "noise" [B, C, H, W], "step_noise_<i>" for DDPM step i, "output" uint8
                                    as float), trajectory.json (settings)
Prints a JSON manifest {"cases": [...]} or {"trajectories": [...]} as its last line.

Randomisation: torch.manual_seed(case seed); every parameter (norm weights and biases included) drawn from its default
initialisation, then norm weights × U(0.5, 1.5) and every bias + N(0, 0.1²), so no parameter is an identity by
accident. Inputs: N(0, 1) samples, timesteps across the schedule, class labels over all embeddings. One torch
thread, deterministic algorithms.
"""

import json
import os
import sys

import numpy as np
import torch
from diffusers import DDIMScheduler, DDPMPipeline, DDPMScheduler, UNet2DModel
from safetensors.torch import save_file

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

CASES = {
    # The shipped Fashion-MNIST architecture: 1 channel, 32 px, DownBlock2D x 3, 11 class embeddings, 8 groups, mid
    # attention (add_attention defaults to true).
    "fashion": dict(sample_size=32, in_channels=1, out_channels=1, layers_per_block=1, block_out_channels=(16, 32, 32),
                    down_block_types=("DownBlock2D",) * 3, up_block_types=("UpBlock2D",) * 3, num_class_embeds=11,
                    norm_num_groups=8),
    # Attention blocks, 3 channels, no class embeddings, 16 groups, two layers per block, heads of 16.
    "attention": dict(sample_size=32, in_channels=3, out_channels=3, layers_per_block=2, block_out_channels=(32, 64),
                      down_block_types=("DownBlock2D", "AttnDownBlock2D"), up_block_types=("AttnUpBlock2D", "UpBlock2D"),
                      norm_num_groups=16, attention_head_dim=16),
    # 28 px, 4 groups, no mid attention, sines first, frequency shift 1, centred inputs.
    "small": dict(sample_size=28, in_channels=1, out_channels=1, layers_per_block=1, block_out_channels=(16, 32, 32),
                  down_block_types=("DownBlock2D",) * 3, up_block_types=("UpBlock2D",) * 3, num_class_embeds=11,
                  norm_num_groups=4, add_attention=False, flip_sin_to_cos=False, freq_shift=1, center_input_sample=True),
    # Scale-shift time embedding, padding-0 downsampling, one head over all channels, a mid scale factor, a wider
    # time embedding, 3 channels in and 2 out.
    "variants": dict(sample_size=32, in_channels=3, out_channels=2, layers_per_block=1, block_out_channels=(16, 32),
                     down_block_types=("AttnDownBlock2D", "DownBlock2D"), up_block_types=("UpBlock2D", "AttnUpBlock2D"),
                     norm_num_groups=8, resnet_time_scale_shift="scale_shift", downsample_padding=0,
                     attention_head_dim=None, mid_block_scale_factor=2.0, time_embedding_dim=48, num_class_embeds=5),
}

TRAJECTORY_MODEL = "fashion"
TRAJECTORIES = {
    "ddim-linear": dict(scheduler="DDIMScheduler", config=dict(beta_schedule="linear"), steps=20, strength=0.5, guidance=1.0),
    "ddim-scaled-guided": dict(scheduler="DDIMScheduler",
                               config=dict(beta_schedule="scaled_linear", beta_start=0.00085, beta_end=0.012,
                                           clip_sample=False, set_alpha_to_one=False, steps_offset=1),
                               steps=25, strength=0.6, guidance=2.5),
    "ddim-cosine-guided": dict(scheduler="DDIMScheduler", config=dict(beta_schedule="squaredcos_cap_v2"), steps=50,
                               strength=0.5, guidance=2.0),
    "ddim-cosine-trailing-v": dict(scheduler="DDIMScheduler",
                                   config=dict(beta_schedule="squaredcos_cap_v2", timestep_spacing="trailing",
                                               prediction_type="v_prediction", clip_sample_range=2.0),
                                   steps=10, strength=0.8, guidance=3.0),
    "ddim-linspace": dict(scheduler="DDIMScheduler", config=dict(beta_schedule="linear", timestep_spacing="linspace"),
                          steps=15, strength=0.4, guidance=1.5),
    "ddpm-linear": dict(scheduler="DDPMScheduler", config=dict(beta_schedule="linear"), steps=20, strength=0.3,
                        guidance=1.0),
    "ddpm-scaled-guided": dict(scheduler="DDPMScheduler",
                               config=dict(beta_schedule="scaled_linear", beta_start=0.00085, beta_end=0.012),
                               steps=25, strength=0.5, guidance=2.0),
    "ddpm-cosine-guided": dict(scheduler="DDPMScheduler",
                               config=dict(beta_schedule="squaredcos_cap_v2", variance_type="fixed_small_log"),
                               steps=20, strength=0.7, guidance=2.0),
    "ddpm-cosine-large": dict(scheduler="DDPMScheduler",
                              config=dict(beta_schedule="squaredcos_cap_v2", variance_type="fixed_large",
                                          timestep_spacing="trailing"),
                              steps=10, strength=1.0, guidance=1.0),
}


def randomised_model(name, seed):
    torch.manual_seed(seed)
    model = UNet2DModel(**CASES[name]).eval()
    with torch.no_grad():
        for module_name, parameter in model.named_parameters():
            if "norm" in module_name and module_name.endswith("weight"):
                parameter.mul_(torch.empty_like(parameter).uniform_(0.5, 1.5))
            elif module_name.endswith("bias"):
                parameter.add_(0.1 * torch.randn_like(parameter))
    return model


def unet_cases(directory):
    cases = []
    for seed, name in enumerate(CASES):
        model = randomised_model(name, 100 + seed)
        folder = os.path.join(directory, name)
        model.save_pretrained(folder)
        config = model.config
        size = config.sample_size
        generator = torch.Generator().manual_seed(200 + seed)
        batch = 3
        sample = torch.randn(batch, config.in_channels, size, size, generator=generator)
        timesteps = torch.tensor([999, 500, 3], dtype=torch.long)
        tensors = {"sample": sample, "timesteps": timesteps.float()}
        arguments = {}
        if config.num_class_embeds:
            labels = torch.tensor([0, config.num_class_embeds - 1, 2], dtype=torch.long)
            arguments["class_labels"] = labels
            tensors["class_labels"] = labels.float()
        with torch.no_grad():
            output = model(sample, timesteps, **arguments).sample
        tensors["output"] = output.contiguous()
        save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(folder, "io.safetensors"))
        cases.append({"name": name, "folder": folder, "parameters": sum(p.numel() for p in model.parameters()),
                      "max_abs_output": float(output.abs().max())})
    print(json.dumps({"cases": cases}))


def to_uint8(x):
    """diffusers' postprocessing: (x / 2 + 0.5).clamp(0, 1), then numpy's (image * 255).round()."""
    image = (x / 2 + 0.5).clamp(0, 1).cpu().numpy()
    return (image * 255).round().astype(np.uint8)


def img2img_trajectories(directory):
    model = randomised_model(TRAJECTORY_MODEL, 100 + list(CASES).index(TRAJECTORY_MODEL))
    model_folder = os.path.join(directory, TRAJECTORY_MODEL)
    model.save_pretrained(model_folder)
    config = model.config
    size, channels = config.sample_size, config.in_channels
    out = []
    for index, (name, spec) in enumerate(TRAJECTORIES.items()):
        folder = os.path.join(directory, name)
        scheduler_class = {"DDIMScheduler": DDIMScheduler, "DDPMScheduler": DDPMScheduler}[spec["scheduler"]]
        scheduler = scheduler_class(**spec["config"])
        scheduler.save_pretrained(os.path.join(folder, "scheduler"))
        generator = torch.Generator().manual_seed(300 + index)
        batch = 3
        # Sources: smooth gradients and a bright square (uint8), as images look.
        y, x = np.mgrid[0:size, 0:size]
        sources = np.stack([np.stack([((x * 7 + y * 3 + 40 * b) % 256) for _ in range(channels)]) for b in range(batch)])
        sources[:, :, size // 4:size // 2, size // 4:size // 2] = 230
        sources = sources.astype(np.uint8)
        x0 = torch.from_numpy(sources.astype(np.float32)) / 127.5 - 1
        labels = torch.tensor([1, 7, 4], dtype=torch.long)
        null = torch.full((batch,), config.num_class_embeds - 1, dtype=torch.long)
        steps, strength, guidance = spec["steps"], spec["strength"], spec["guidance"]
        scheduler.set_timesteps(steps)
        init_timestep = min(int(steps * strength), steps)
        t_start = max(steps - init_timestep, 0)
        timesteps = scheduler.timesteps[t_start * scheduler.order:]
        noise = torch.randn(x0.shape, generator=generator)
        latents = scheduler.add_noise(x0, noise, timesteps[:1].repeat(batch))
        tensors = {"source": torch.from_numpy(sources.astype(np.float32)), "noise": noise}
        step_generator = torch.Generator().manual_seed(400 + index)
        with torch.no_grad():
            for position, t in enumerate(timesteps):
                if guidance > 1:
                    both = model(torch.cat([latents, latents]), t, class_labels=torch.cat([null, labels])).sample
                    uncond, cond = both.chunk(2)
                    prediction = uncond + guidance * (cond - uncond)
                else:
                    prediction = model(latents, t, class_labels=labels).sample
                if spec["scheduler"] == "DDPMScheduler" and int(t) > 0:
                    state = step_generator.get_state()
                    tensors[f"step_noise_{t_start + position}"] = torch.randn(latents.shape, generator=step_generator)
                    step_generator.set_state(state)
                latents = scheduler.step(prediction, t, latents, generator=step_generator).prev_sample
        tensors["output"] = torch.from_numpy(to_uint8(latents).astype(np.float32))
        save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(folder, "trajectory.safetensors"))
        settings = dict(spec, labels=labels.tolist(), null_class=config.num_class_embeds - 1, model=model_folder,
                        timesteps=[int(t) for t in timesteps])
        with open(os.path.join(folder, "trajectory.json"), "w") as handle:
            json.dump(settings, handle)
        out.append({"name": name, "folder": folder})
    print(json.dumps({"trajectories": out}))


FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def pipeline_folder(directory):
    model = randomised_model("fashion", 100)
    scheduler = DDIMScheduler(beta_schedule="squaredcos_cap_v2", clip_sample=True)
    DDPMPipeline(unet=model, scheduler=scheduler).save_pretrained(directory)
    with open(os.path.join(directory, "classes.json"), "w") as handle:
        json.dump(FASHION_CLASSES, handle)
    with open(os.path.join(directory, "sgid.json"), "w") as handle:
        json.dump({"fit": "pad", "pad_value": 0}, handle)
    print(json.dumps({"folder": directory}))


if __name__ == "__main__":
    {"unet": unet_cases, "img2img": img2img_trajectories, "pipeline": pipeline_folder}[sys.argv[1]](sys.argv[2])
