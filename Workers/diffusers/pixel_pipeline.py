"""Class-conditional pixel-space models for the generator worker: a DDPMPipeline / DDIMPipeline folder as SGID's
native generator reads it (unet/, scheduler/, classes.json, optional sgid.json), run with diffusers and torch, so the
same model folder generates on GPUs through the worker and on a CPU natively, with the same semantics.

Generation: img2img (SDEdit) as diffusers' img2img pipelines do it (the first steps - int(steps x strength) timesteps
skipped, the clean image noised to the first kept one with add_noise), classifier-free guidance on the class label
(uncond + g (cond - uncond), when g > 1 and the folder has a null class), the variants of one item batched in calls of
at most --batch images, each seed's noise from its own torch.Generator. Sources are brought to the sample size as
sgid.json declares (centred padding with pad_value, or a bicubic resize) and every variant comes back at the source's
size. Pixels: x = p / 127.5 - 1 in, round(clamp(x / 2 + 0.5, 0, 1) * 255) out.
"""

import json
import os

import numpy as np


class PixelPipeline:
    def __init__(self, folder, device, dtype, scheduler_class=None):
        import diffusers
        import torch
        from diffusers import UNet2DModel

        self.torch = torch
        self.device = device
        self.dtype = dtype
        self.folder = folder
        self.unet = UNet2DModel.from_pretrained(os.path.join(folder, "unet"), dtype=dtype).to(device).eval()
        with open(os.path.join(folder, "scheduler", "scheduler_config.json")) as handle:
            scheduler_config = json.load(handle)
        name = scheduler_class or scheduler_config.get("_class_name", "DDIMScheduler")
        scheduler_type = getattr(diffusers, name, None)
        if scheduler_type is None or not hasattr(scheduler_type, "from_config"):
            raise RuntimeError(f"scheduler {name}: no such diffusers scheduler class")
        self.scheduler = scheduler_type.from_config(scheduler_config)
        config = self.unet.config
        self.channels = config.in_channels
        size = config.sample_size
        self.sample_size = (size, size) if isinstance(size, int) else tuple(size)
        embeddings = config.num_class_embeds
        classes_path = os.path.join(folder, "classes.json")
        self.classes = json.load(open(classes_path)) if os.path.exists(classes_path) else []
        settings_path = os.path.join(folder, "sgid.json")
        settings = json.load(open(settings_path)) if os.path.exists(settings_path) else {}
        self.fit = settings.get("fit", "resize")
        self.pad_value = int(settings.get("pad_value", 0))
        if "null_class" in settings:
            self.null_class = int(settings["null_class"])
        elif embeddings and len(self.classes) == embeddings - 1:
            self.null_class = embeddings - 1
        else:
            self.null_class = None

    def describe(self):
        return {
            "pipeline": "PixelImg2ImgPipeline (class-conditional SDEdit)",
            "scheduler": type(self.scheduler).__name__,
            "scheduler_config": {k: v for k, v in dict(self.scheduler.config).items() if not k.startswith("_")},
            "fit": self.fit, "pad_value": self.pad_value, "null_class": self.null_class, "classes": self.classes,
        }

    def capabilities(self):
        return {"conditioning": "class-label" if self.unet.config.num_class_embeds else "none", "channels": self.channels,
                "sample_size": list(self.sample_size), "fits_sources": True}

    def class_index(self, label):
        if label in self.classes:
            return self.classes.index(label)
        if isinstance(label, str) and label.isdigit() and int(label) < len(self.classes):
            return int(label)
        raise ValueError(f"label {label!r} is not one of the model's classes: {', '.join(self.classes)}")

    def _fitted(self, image):
        """The source (PIL) in the model's mode, at the sample size."""
        from PIL import Image

        image = image.convert("L" if self.channels == 1 else "RGB")
        height, width = self.sample_size
        if image.size == (width, height):
            return image
        if self.fit == "pad" and image.width <= width and image.height <= height:
            fill = self.pad_value if self.channels == 1 else (self.pad_value,) * 3
            canvas = Image.new(image.mode, (width, height), fill)
            canvas.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
            return canvas
        return image.resize((width, height), Image.Resampling.BICUBIC)

    def _restored(self, array, size):
        """A generated uint8 array (H, W, C) back at the source's size."""
        from PIL import Image

        height, width = self.sample_size
        target_w, target_h = size
        if (target_w, target_h) == (width, height):
            return array
        if self.fit == "pad" and target_w <= width and target_h <= height:
            left, top = (width - target_w) // 2, (height - target_h) // 2
            return np.ascontiguousarray(array[top:top + target_h, left:left + target_w])
        mode = "L" if self.channels == 1 else "RGB"
        image = Image.fromarray(array[:, :, 0] if self.channels == 1 else array, mode)
        resized = np.asarray(image.resize((target_w, target_h), Image.Resampling.BICUBIC))
        return resized[:, :, None] if self.channels == 1 else resized

    def generate(self, image, label, strength, guidance, steps, seeds, batch):
        """One uint8 array (H, W, C) per seed, at the source's size."""
        torch = self.torch
        label_index = self.class_index(label) if self.unet.config.num_class_embeds else None
        fitted = np.asarray(self._fitted(image), dtype=np.float32)
        if fitted.ndim == 2:
            fitted = fitted[:, :, None]
        x0 = (torch.from_numpy(fitted).permute(2, 0, 1) / 127.5 - 1).to(self.device, self.dtype)
        scheduler = self.scheduler
        scheduler.set_timesteps(steps)
        kept = min(int(steps * strength), steps)
        start = max(steps - kept, 0)
        timesteps = scheduler.timesteps[start * scheduler.order:]
        if len(timesteps) == 0:
            raise ValueError(f"steps {steps} x strength {strength} leaves no denoising step")
        guided = guidance > 1 and self.null_class is not None and label_index is not None
        outputs = []
        for offset in range(0, len(seeds), batch):
            chunk = seeds[offset:offset + batch]
            generators = [torch.Generator(device="cpu").manual_seed(seed) for seed in chunk]
            noise = torch.stack([torch.randn(x0.shape, generator=g) for g in generators]).to(self.device, self.dtype)
            latents = scheduler.add_noise(x0.expand(len(chunk), *x0.shape), noise, timesteps[:1].repeat(len(chunk)))
            labels = None if label_index is None else torch.full((len(chunk),), label_index, device=self.device)
            with torch.inference_mode():
                for t in timesteps:
                    if guided:
                        null = torch.full((len(chunk),), self.null_class, device=self.device)
                        both = self.unet(torch.cat([latents, latents]), t, class_labels=torch.cat([null, labels])).sample
                        uncond, cond = both.chunk(2)
                        prediction = uncond + guidance * (cond - uncond)
                    else:
                        prediction = self.unet(latents, t, class_labels=labels).sample
                    latents = scheduler.step(prediction, t, latents, generator=generators).prev_sample
            images = ((latents / 2 + 0.5).clamp(0, 1).permute(0, 2, 3, 1).float().cpu().numpy() * 255).round().astype(np.uint8)
            outputs.extend(self._restored(np.ascontiguousarray(array), image.size) for array in images)
        return outputs
