"""Synthetic test images shared by the corpus generators (make_resize_corpus.py, make_operation_corpus.py)."""
import numpy as np
from PIL import Image


def natural_image(rng, width, height, channels):
    """Smooth gradients, hard-edged rectangles and noise: what photographs look like to a resampler."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    planes = []
    for _ in range(channels):
        fx, fy, phase = rng.uniform(0.01, 0.3), rng.uniform(0.01, 0.3), rng.uniform(0, 6.3)
        planes.append(128 + 100 * np.sin(fx * x + phase) * np.cos(fy * y))
    image = np.stack(planes, axis=-1)
    for _ in range(4):
        x0, y0 = rng.integers(0, max(1, width)), rng.integers(0, max(1, height))
        image[y0:y0 + height // 3 + 1, x0:x0 + width // 3 + 1] = rng.choice([0, 255, 40, 220], channels)
    image += rng.normal(0, 12, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)


def to_pil(array):
    """An H×W×C uint8 array as a Pillow image (mode L for one channel)."""
    return Image.fromarray(array[..., 0] if array.shape[2] == 1 else array)
