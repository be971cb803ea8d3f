"""Builds tiny, randomly initialised models for the SGID generator worker's tests, entirely offline.

Usage: make_tiny_models.py OUTDIR

Writes, with each library's own save_pretrained:
  OUTDIR/sd    a StableDiffusionImg2ImgPipeline (tiny UNet2DConditionModel, AutoencoderKL, CLIPTextModel,
               CLIPTokenizer, DDIMScheduler; no safety checker). The VAE downsamples by 2, so widths and heights
               must be multiples of 2 (the worker reports the factor); 64x64 generates in milliseconds on a CPU.
  OUTDIR/blip  a BlipForConditionalGeneration + BlipProcessor (BERT-style word-piece vocabulary written here).
  OUTDIR/clip  a CLIPModel + CLIPProcessor.
Tokenizers are built from vocabularies written by this script (a byte-level BPE for CLIP, learned from a fixed
sentence list), so nothing is fetched from a model hub. Every weight comes from torch's generator seeded with a
fixed value, so the same versions of torch/diffusers/transformers give the same files.

Idempotent: when OUTDIR/STAMP holds this script's VERSION and every model folder is present, nothing is rebuilt.
Prints a JSON object {"sd": path, "blip": path, "clip": path, "built": bool} as its last line.
"""

import collections
import json
import os
import shutil
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

VERSION = "tiny-models-1"
STAMP = "TINY_MODELS_VERSION"
SEED = 20240207

# Text the byte-level BPE merges are learned from; prompts in the tests use these words.
CORPUS = [
    "a photo of a dog", "a photo of a cat", "a photo of a bird on a branch", "a red car on the street",
    "a painting of a house", "the cat sitting on the grass", "a dog running in the park", "a close up of a flower",
    "a photo of a tabby cat", "a small boat on the water", "a tree in a field", "there is a person walking",
]
WORDS = sorted({word for line in CORPUS for word in line.split()})


def bytes_to_unicode():
    """The reversible byte -> printable character table that byte-level BPE vocabularies use (GPT-2/CLIP layout)."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    characters = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            characters.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(c) for c in characters)))


def learn_clip_bpe(merge_count=64):
    """A byte-level BPE in CLIP's layout (word-final symbols carry '</w>'), learned greedily from CORPUS."""
    table = bytes_to_unicode()
    base = list(table.values())
    vocab = base + [symbol + "</w>" for symbol in base]
    words = collections.Counter()
    for line in CORPUS:
        for word in line.lower().split():
            symbols = [table[b] for b in word.encode("utf-8")]
            symbols[-1] += "</w>"
            words[tuple(symbols)] += 1
    merges = []
    for _ in range(merge_count):
        pairs = collections.Counter()
        for symbols, count in words.items():
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] += count
        if not pairs:
            break
        best = max(sorted(pairs), key=lambda pair: pairs[pair])  # ties broken by the sorted order: deterministic
        merges.append(best)
        merged = best[0] + best[1]
        vocab.append(merged)
        rewritten = collections.Counter()
        for symbols, count in words.items():
            out, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    out.append(merged)
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            rewritten[tuple(out)] += count
        words = rewritten
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    return {token: index for index, token in enumerate(vocab)}, merges


def write_clip_tokenizer_files(folder):
    vocab, merges = learn_clip_bpe()
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as handle:
        json.dump(vocab, handle, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as handle:
        handle.write("#version: 0.2\n")
        for left, right in merges:
            handle.write(f"{left} {right}\n")
    return len(vocab)


def clip_tokenizer(scratch):
    from transformers import CLIPTokenizer

    folder = os.path.join(scratch, "clip-bpe")
    size = write_clip_tokenizer_files(folder)
    tokenizer = CLIPTokenizer(vocab=os.path.join(folder, "vocab.json"), merges=os.path.join(folder, "merges.txt"),
                              model_max_length=77)
    return tokenizer, size


def clip_text_config(vocab_size):
    from transformers import CLIPTextConfig

    return CLIPTextConfig(vocab_size=vocab_size, hidden_size=32, intermediate_size=37, num_hidden_layers=2,
                          num_attention_heads=4, max_position_embeddings=77, projection_dim=32,
                          bos_token_id=vocab_size - 2, eos_token_id=vocab_size - 1, pad_token_id=vocab_size - 1)


def build_sd(out, scratch):
    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionImg2ImgPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel

    tokenizer, vocab_size = clip_tokenizer(scratch)
    torch.manual_seed(SEED)
    unet = UNet2DConditionModel(
        sample_size=32, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(32, 64),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32, attention_head_dim=8, norm_num_groups=32)
    torch.manual_seed(SEED + 1)
    vae = AutoencoderKL(
        in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(32, 64), layers_per_block=1,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        norm_num_groups=32, sample_size=64)
    torch.manual_seed(SEED + 2)
    text_encoder = CLIPTextModel(clip_text_config(vocab_size))
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
                              set_alpha_to_one=False, steps_offset=1)
    pipeline = StableDiffusionImg2ImgPipeline(vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet,
                                              scheduler=scheduler, safety_checker=None, feature_extractor=None,
                                              requires_safety_checker=False)
    pipeline.save_pretrained(out)


def bert_vocab():
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[DEC]"]
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    pieces = ["##" + letter for letter in letters]
    digits = [str(d) for d in range(10)]
    punctuation = list(".,!?'-")
    return specials + WORDS + letters + pieces + digits + punctuation


def build_blip(out, scratch):
    import torch
    from transformers import (BertTokenizer, BlipConfig, BlipForConditionalGeneration, BlipImageProcessor,
                              BlipProcessor, BlipTextConfig, BlipVisionConfig)

    vocab = bert_vocab()
    folder = os.path.join(scratch, "bert-vocab")
    os.makedirs(folder, exist_ok=True)
    vocab_file = os.path.join(folder, "vocab.txt")
    with open(vocab_file, "w", encoding="utf-8") as handle:
        handle.write("\n".join(vocab) + "\n")
    tokenizer = BertTokenizer(vocab=vocab_file, do_lower_case=True, model_max_length=64)
    tokenizer.add_special_tokens({"bos_token": "[DEC]"})
    index = {token: i for i, token in enumerate(vocab)}
    text = BlipTextConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=37, num_hidden_layers=2,
                          num_attention_heads=4, max_position_embeddings=64, encoder_hidden_size=32,
                          pad_token_id=index["[PAD]"], bos_token_id=index["[DEC]"], eos_token_id=index["[SEP]"],
                          sep_token_id=index["[SEP]"])
    vision = BlipVisionConfig(hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
                              image_size=32, patch_size=8)
    config = BlipConfig(text_config=text.to_dict(), vision_config=vision.to_dict(), projection_dim=32)
    torch.manual_seed(SEED + 3)
    model = BlipForConditionalGeneration(config)
    model.eval()
    image_processor = BlipImageProcessor(size={"height": 32, "width": 32})
    processor = BlipProcessor(image_processor=image_processor, tokenizer=tokenizer)
    model.save_pretrained(out)
    processor.save_pretrained(out)


def build_clip(out, scratch):
    import torch
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPVisionConfig

    tokenizer, vocab_size = clip_tokenizer(scratch)
    vision = CLIPVisionConfig(hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
                              image_size=32, patch_size=8, projection_dim=16)
    text = clip_text_config(vocab_size)
    text.projection_dim = 16
    config = CLIPConfig(text_config=text.to_dict(), vision_config=vision.to_dict(), projection_dim=16)
    torch.manual_seed(SEED + 4)
    model = CLIPModel(config)
    image_processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    processor = CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer)
    model.save_pretrained(out)
    processor.save_pretrained(out)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = os.path.abspath(argv[1])
    paths = {name: os.path.join(outdir, name) for name in ("sd", "blip", "clip")}
    stamp = os.path.join(outdir, STAMP)
    try:
        with open(stamp, encoding="utf-8") as handle:
            complete = handle.read().strip() == VERSION and all(os.path.isdir(p) for p in paths.values())
    except OSError:
        complete = False
    if complete:
        print(json.dumps({**paths, "built": False}))
        return 0

    import torch

    torch.use_deterministic_algorithms(True)
    started = time.monotonic()
    os.makedirs(outdir, exist_ok=True)
    if os.path.exists(stamp):
        os.remove(stamp)
    scratch = os.path.join(outdir, ".scratch")
    for name, builder in (("sd", build_sd), ("blip", build_blip), ("clip", build_clip)):
        # Build into a temporary folder and rename, so an interrupted run never leaves a half-written model behind.
        partial = paths[name] + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        builder(partial, scratch)
        shutil.rmtree(paths[name], ignore_errors=True)
        os.rename(partial, paths[name])
    shutil.rmtree(scratch, ignore_errors=True)
    with open(stamp + ".tmp", "w", encoding="utf-8") as handle:
        handle.write(VERSION + "\n")
    os.replace(stamp + ".tmp", stamp)
    print(f"make_tiny_models: built in {time.monotonic() - started:.1f}s", file=sys.stderr)
    print(json.dumps({**paths, "built": True}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
