#!/usr/bin/env python3
"""Builds a varied image corpus (PNG, WebP, TIFF, BMP, PNM) and Pillow's reference decodes for parity tests.

Usage: make_format_corpus.py OUTDIR [--formats png,webp,tiff,bmp,pnm]

For every input file it writes Pillow's `Image.open(f).convert('RGB')` and `.convert('L')` pixels as raw bytes
(`NAME.rgb`, `NAME.l`) and lists everything in OUTDIR/manifest.json:
  [{"file", "format", "kind", "width", "height", "rgb", "gray", "lossy"}...]

Images are "natural-looking": smooth gradients plus noise plus a few shapes, at odd sizes. Files Pillow cannot
write (sub-byte gray, 16-bit colour, Adam7 interlacing, top-down or RLE BMPs, ASCII PNM ...) are written by the
small encoders below, following each format's specification; Pillow still produces every expected output.
"""
import io
import json
import os
import struct
import sys
import warnings
import zlib

import numpy as np
from PIL import Image

SIZES = [(1, 1), (2, 2), (17, 33), (64, 48), (33, 17)]


def natural(width, height, channels, seed, maximum=255):
    """Gradients + noise + a disc and a bar, as uint values in 0...maximum, shape (h, w, channels)."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    planes = []
    for c in range(channels):
        angle = rng.uniform(0, 2 * np.pi)
        base = 0.5 + 0.45 * np.sin((xs * np.cos(angle) + ys * np.sin(angle)) / max(width, height, 2) * np.pi * 2 + c)
        base += rng.normal(0, 0.06, size=(height, width))
        cx, cy, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(2, max(width, height) / 2 + 2)
        base[(xs - cx) ** 2 + (ys - cy) ** 2 < r * r] = rng.uniform(0, 1)
        y0 = int(rng.integers(0, height))
        base[y0:y0 + max(1, height // 8), :] = rng.uniform(0, 1)
        planes.append(base)
    array = np.clip(np.stack(planes, axis=-1), 0, 1) * maximum
    return np.rint(array).astype(np.uint16 if maximum > 255 else np.uint8)


class Corpus:
    def __init__(self, outdir):
        self.outdir = outdir
        self.entries = []

    def add(self, name, data, fmt, kind, lossy=False):
        path = os.path.join(self.outdir, name)
        with open(path, "wb") as handle:
            handle.write(data)
        with Image.open(path) as image:
            rgb = image.convert("RGB")
        with Image.open(path) as image:
            gray = image.convert("L")
        with open(path + ".rgb", "wb") as handle:
            handle.write(rgb.tobytes())
        with open(path + ".l", "wb") as handle:
            handle.write(gray.tobytes())
        self.entries.append({"file": name, "format": fmt, "kind": kind, "width": rgb.size[0], "height": rgb.size[1],
                             "rgb": name + ".rgb", "gray": name + ".l", "lossy": lossy})

    def add_pillow(self, name, image, fmt, kind, lossy=False, save_as=None, **params):
        buffer = io.BytesIO()
        image.save(buffer, (save_as or fmt).upper(), **params)
        self.add(name, buffer.getvalue(), fmt, kind, lossy)


# ---------------------------------------------------------------- PNG

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_row(row, depth):
    """row: 1-D array of samples (already flattened across channels)."""
    if depth == 16:
        return row.astype(">u2").tobytes()
    if depth == 8:
        return row.astype(np.uint8).tobytes()
    per_byte = 8 // depth
    padded = np.zeros(((len(row) + per_byte - 1) // per_byte) * per_byte, dtype=np.uint8)
    padded[:len(row)] = row
    groups = padded.reshape(-1, per_byte)
    out = np.zeros(len(groups), dtype=np.uint8)
    for i in range(per_byte):
        out |= (groups[:, i] << (8 - depth * (i + 1))).astype(np.uint8)
    return out.tobytes()


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(samples, depth, color_type, interlace=False, palette=None, trns=None, filter_type=0):
    """samples: (h, w, channels) array of raw sample values."""
    height, width = samples.shape[:2]
    raw = bytearray()
    images = [samples[y0::dy, x0::dx] for (x0, y0, dx, dy) in ADAM7] if interlace else [samples]
    bpp = max(1, samples.shape[2] * depth // 8)
    for sub in images:
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        previous = None
        for row in sub:
            line = pack_row(row.reshape(-1), depth)
            if filter_type == 1:  # Sub
                data = bytearray(line)
                for i in range(len(line) - 1, bpp - 1, -1):
                    data[i] = (line[i] - line[i - bpp]) & 0xFF
                raw += b"\x01" + bytes(data)
            elif filter_type == 2 and previous is not None:  # Up
                raw += b"\x02" + bytes((a - b) & 0xFF for a, b in zip(line, previous))
            else:
                raw += b"\x00" + line
            previous = line
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlace else 0)
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
    out += png_chunk(b"gAMA", struct.pack(">I", 45455))
    if palette is not None:
        out += png_chunk(b"PLTE", bytes(palette))
    if trns is not None:
        out += png_chunk(b"tRNS", trns)
    compressed = zlib.compress(bytes(raw), 6)
    half = len(compressed) // 2  # two IDAT chunks exercise chunk boundaries
    out += png_chunk(b"IDAT", compressed[:half]) + png_chunk(b"IDAT", compressed[half:])
    out += png_chunk(b"tEXt", b"Comment\x00written by make_format_corpus.py")
    return out + png_chunk(b"IEND", b"")


def png_corpus(corpus):
    seed = 100
    for (w, h) in SIZES:
        for interlace in (False, True):
            tag = f"{w}x{h}{'-i' if interlace else ''}"
            for depth in (1, 2, 4, 8, 16):
                seed += 1
                gray = natural(w, h, 1, seed, (1 << depth) - 1)
                corpus.add(f"png-gray{depth}-{tag}.png", write_png(gray, depth, 0, interlace, filter_type=seed % 3),
                           "png", f"gray{depth}{'-interlaced' if interlace else ''}")
                if depth <= 8:
                    entries = 1 << depth
                    rng = np.random.default_rng(seed)
                    size = int(rng.integers(max(1, entries // 2), entries + 1))  # some indices fall past PLTE
                    palette = rng.integers(0, 256, size=size * 3, dtype=np.uint8)
                    indices = natural(w, h, 1, seed + 1, entries - 1)
                    trns = bytes(rng.integers(0, 256, size=min(size, 5), dtype=np.uint8)) if seed % 2 else None
                    corpus.add(f"png-palette{depth}-{tag}.png",
                               write_png(indices, depth, 3, interlace, palette=palette, trns=trns),
                               "png", f"palette{depth}{'-trns' if trns else ''}{'-interlaced' if interlace else ''}")
            for depth in (8, 16):
                maximum = (1 << depth) - 1
                for channels, color_type, name in ((2, 4, "graya"), (3, 2, "rgb"), (4, 6, "rgba")):
                    seed += 1
                    samples = natural(w, h, channels, seed, maximum)
                    trns = struct.pack(">3H", *[int(v) for v in samples[0, 0, :3]]) if color_type == 2 else None
                    corpus.add(f"png-{name}{depth}-{tag}.png",
                               write_png(samples, depth, color_type, interlace, trns=trns, filter_type=seed % 3),
                               "png", f"{name}{depth}{'-interlaced' if interlace else ''}")
            seed += 1
            gray16 = natural(w, h, 1, seed, 600)  # 16-bit gray around the clamp at 255
            corpus.add(f"png-gray16low-{tag}.png", write_png(gray16, 16, 0, interlace,
                                                             trns=struct.pack(">H", 300)),
                       "png", "gray16-clamp")
    # Pillow's own writer: optimised, compression levels, every mode it writes.
    for index, (w, h) in enumerate([(64, 48), (17, 33), (1, 1)]):
        rgb = Image.fromarray(natural(w, h, 3, 500 + index))
        rgba = Image.fromarray(natural(w, h, 4, 510 + index))
        corpus.add_pillow(f"pil-rgb-{w}x{h}.png", rgb, "png", "pillow-rgb", optimize=True)
        corpus.add_pillow(f"pil-rgba-{w}x{h}.png", rgba, "png", "pillow-rgba", compress_level=0)
        corpus.add_pillow(f"pil-l-{w}x{h}.png", rgb.convert("L"), "png", "pillow-l", compress_level=9)
        corpus.add_pillow(f"pil-la-{w}x{h}.png", rgba.convert("LA"), "png", "pillow-la")
        corpus.add_pillow(f"pil-1-{w}x{h}.png", rgb.convert("1"), "png", "pillow-1")
        corpus.add_pillow(f"pil-p-{w}x{h}.png", rgb.quantize(200), "png", "pillow-p")
        corpus.add_pillow(f"pil-p4-{w}x{h}.png", rgb.quantize(16), "png", "pillow-p4", bits=4)
        corpus.add_pillow(f"pil-pt-{w}x{h}.png", rgba.quantize(64), "png", "pillow-p-trns", transparency=3)
        corpus.add_pillow(f"pil-i16-{w}x{h}.png", Image.fromarray(natural(w, h, 1, 520 + index, 2000)[:, :, 0]),
                          "png", "pillow-i16")


# ---------------------------------------------------------------- WebP

def webp_corpus(corpus):
    for index, (w, h) in enumerate([(64, 48), (17, 33), (1, 1), (2, 2), (127, 65)]):
        rgb = Image.fromarray(natural(w, h, 3, 600 + index))
        rgba_array = natural(w, h, 4, 610 + index)
        rgba_array[: h // 2, : w // 2, 3] = 0  # a fully transparent quarter
        rgba = Image.fromarray(rgba_array)
        corpus.add_pillow(f"webp-lossless-rgb-{w}x{h}.webp", rgb, "webp", "lossless-rgb", lossless=True)
        corpus.add_pillow(f"webp-lossless-rgba-{w}x{h}.webp", rgba, "webp", "lossless-rgba", lossless=True)
        corpus.add_pillow(f"webp-lossless-rgba-exact-{w}x{h}.webp", rgba, "webp", "lossless-rgba-exact",
                          lossless=True, exact=True)
        corpus.add_pillow(f"webp-lossy-rgb-{w}x{h}.webp", rgb, "webp", "lossy-rgb", lossy=True, quality=80)
        corpus.add_pillow(f"webp-lossy-rgba-{w}x{h}.webp", rgba, "webp", "lossy-rgba", lossy=True, quality=70)
        corpus.add_pillow(f"webp-lossy-l-{w}x{h}.webp", rgb.convert("L"), "webp", "lossy-gray", lossy=True,
                          quality=90)


# ---------------------------------------------------------------- TIFF

def write_tiff(samples, photometric, big_endian=False, tile=None, deflate=False, extra=None, colormap=None,
               rows_per_strip=None):
    """A minimal baseline TIFF: one IFD, contiguous samples, strips or tiles, uncompressed or Deflate."""
    order = ">" if big_endian else "<"
    height, width, channels = samples.shape
    bits = 16 if samples.dtype == np.uint16 else 8
    dtype = order + ("u2" if bits == 16 else "u1")
    if tile:
        tw, th = tile
        blocks = []
        for y in range(0, height, th):
            for x in range(0, width, tw):
                block = np.zeros((th, tw, channels), dtype=samples.dtype)
                part = samples[y:y + th, x:x + tw]
                block[:part.shape[0], :part.shape[1]] = part
                blocks.append(block)
    else:
        rows = rows_per_strip or height
        blocks = [samples[y:y + rows] for y in range(0, height, rows)]
    datas = [block.astype(dtype).tobytes() for block in blocks]
    if deflate:
        datas = [zlib.compress(d) for d in datas]
    entries = []  # (tag, type, values)
    entries.append((256, 4, [width]))
    entries.append((257, 4, [height]))
    entries.append((258, 3, [bits] * channels))
    entries.append((259, 3, [8 if deflate else 1]))
    entries.append((262, 3, [photometric]))
    entries.append((277, 3, [channels]))
    entries.append((284, 3, [1]))
    if extra is not None:
        entries.append((338, 3, [extra]))
    if colormap is not None:
        entries.append((320, 3, list(colormap)))
    if tile:
        entries += [(322, 3, [tile[0]]), (323, 3, [tile[1]]), (324, 4, None), (325, 4, [len(d) for d in datas])]
    else:
        entries += [(273, 4, None), (278, 4, [rows_per_strip or height]), (279, 4, [len(d) for d in datas])]
    entries.sort()
    header = (b"MM\x00\x2a" if big_endian else b"II\x2a\x00") + struct.pack(order + "I", 8)
    ifd_size = 2 + 12 * len(entries) + 4
    extra_at = 8 + ifd_size
    blob = bytearray()
    data_offset = None
    # Offsets arrays point at the image data, written after the IFD's out-of-line values.
    def sizes(values, kind):
        return len(values) * (2 if kind == 3 else 4)
    out_of_line = sum(sizes(v if v is not None else datas, k) for (_, k, v) in entries
                      if sizes(v if v is not None else datas, k) > 4)
    data_offset = extra_at + out_of_line
    offsets, position = [], data_offset
    for d in datas:
        offsets.append(position)
        position += len(d)
    ifd = struct.pack(order + "H", len(entries))
    for tag, kind, values in entries:
        values = offsets if values is None else values
        packed = b"".join(struct.pack(order + ("H" if kind == 3 else "I"), v) for v in values)
        if len(packed) <= 4:
            ifd += struct.pack(order + "HHI", tag, kind, len(values)) + packed.ljust(4, b"\x00")
        else:
            ifd += struct.pack(order + "HHII", tag, kind, len(values), extra_at + len(blob))
            blob += packed
    ifd += struct.pack(order + "I", 0)
    return header + ifd + bytes(blob) + b"".join(datas)


def write_tiff_packed(values, bits, photometric, big_endian, colormap):
    """Sub-byte samples: pack each row, then write it as a one-channel 8-bit-wide strip with the real bit depth."""
    height, width = values.shape
    rows = b"".join(pack_row(row, bits) for row in values)
    data = np.frombuffer(rows, dtype=np.uint8).reshape(height, -1, 1)
    out = bytearray(write_tiff(data, photometric, big_endian, colormap=colormap))
    # Patch the image width and bits-per-sample entries written for the packed stand-in.
    order = ">" if big_endian else "<"
    count = struct.unpack(order + "H", out[8:10])[0]
    for i in range(count):
        at = 10 + 12 * i
        tag = struct.unpack(order + "H", out[at:at + 2])[0]
        if tag == 256:
            out[at + 8:at + 12] = struct.pack(order + "I", width)
        if tag == 258:
            out[at + 8:at + 10] = struct.pack(order + "H", bits)
    return bytes(out)


def tiff_corpus(corpus):
    compressions = [None, "tiff_lzw", "tiff_deflate", "tiff_adobe_deflate", "packbits"]
    for index, (w, h) in enumerate([(64, 48), (17, 33), (1, 1), (2, 2)]):
        rgb = Image.fromarray(natural(w, h, 3, 700 + index))
        rgba = Image.fromarray(natural(w, h, 4, 710 + index))
        for compression in compressions:
            tag = compression or "raw"
            params = {"compression": compression} if compression else {}
            corpus.add_pillow(f"tiff-rgb-{tag}-{w}x{h}.tiff", rgb, "tiff", f"rgb-{tag}", **params)
            corpus.add_pillow(f"tiff-rgba-{tag}-{w}x{h}.tiff", rgba, "tiff", f"rgba-{tag}", **params)
            corpus.add_pillow(f"tiff-l-{tag}-{w}x{h}.tiff", rgb.convert("L"), "tiff", f"l-{tag}", **params)
            corpus.add_pillow(f"tiff-1-{tag}-{w}x{h}.tiff", rgb.convert("1"), "tiff", f"bilevel-{tag}", **params)
            corpus.add_pillow(f"tiff-p-{tag}-{w}x{h}.tiff", rgb.quantize(100), "tiff", f"palette-{tag}", **params)
        corpus.add_pillow(f"tiff-rgb-lzw-strips-{w}x{h}.tiff", rgb, "tiff", "rgb-lzw-small-strips",
                          compression="tiff_lzw", strip_size=64)
        corpus.add_pillow(f"tiff-rgb-predictor-{w}x{h}.tiff", rgb, "tiff", "rgb-deflate-predictor",
                          compression="tiff_deflate", tiffinfo={317: 2})
        corpus.add_pillow(f"tiff-cmyk-{w}x{h}.tiff", rgb.convert("CMYK"), "tiff", "cmyk", compression="tiff_lzw")
        corpus.add_pillow(f"tiff-la-{w}x{h}.tiff", rgba.convert("LA"), "tiff", "la")
        corpus.add_pillow(f"tiff-rgbx-{w}x{h}.tiff", rgb.convert("RGBX"), "tiff", "rgbx")
        gray16 = natural(w, h, 1, 720 + index, 700)[:, :, 0]
        corpus.add_pillow(f"tiff-i16-{w}x{h}.tiff", Image.fromarray(gray16), "tiff", "gray16")
        corpus.add_pillow(f"tiff-i16b-{w}x{h}.tiff", Image.fromarray(gray16).convert("I;16B"), "tiff",
                          "gray16-big-endian")
        corpus.add_pillow(f"tiff-jpeg-{w}x{h}.tiff", rgb, "tiff", "rgb-jpeg", compression="jpeg", quality=90)
        rgb_array, rgba_array = np.asarray(rgb), np.asarray(rgba)
        for big_endian in (False, True):
            order = "be" if big_endian else "le"
            corpus.add(f"tiff-tiled-rgb-{order}-{w}x{h}.tiff",
                       write_tiff(rgb_array, 2, big_endian, tile=(16, 16)), "tiff", f"tiled-rgb-{order}")
            corpus.add(f"tiff-tiled-rgba-deflate-{order}-{w}x{h}.tiff",
                       write_tiff(rgba_array, 2, big_endian, tile=(32, 16), deflate=True, extra=2), "tiff",
                       f"tiled-rgba-deflate-{order}")
            corpus.add(f"tiff-tiled-gray16-{order}-{w}x{h}.tiff",
                       write_tiff(natural(w, h, 1, 730 + index, 1000), 1, big_endian, tile=(16, 32)), "tiff",
                       f"tiled-gray16-{order}")
            premultiplied = rgba_array.astype(np.uint16)
            premultiplied[:, :, :3] = premultiplied[:, :, :3] * premultiplied[:, :, 3:] // 255
            premultiplied[0, :, :3] = rgba_array[0, :, :3]  # one row not premultiplied: exercises the clamp
            corpus.add(f"tiff-associated-{order}-{w}x{h}.tiff",
                       write_tiff(premultiplied.astype(np.uint8), 2, big_endian, rows_per_strip=4, extra=1), "tiff",
                       f"rgba-associated-{order}")
            corpus.add(f"tiff-rgb16-{order}-{w}x{h}.tiff",
                       write_tiff(natural(w, h, 3, 760 + index, 65535), 2, big_endian, deflate=True), "tiff",
                       f"rgb16-{order}")
            corpus.add(f"tiff-rgba16-{order}-{w}x{h}.tiff",
                       write_tiff(natural(w, h, 4, 770 + index, 65535), 2, big_endian, tile=(16, 16), extra=2),
                       "tiff", f"rgba16-tiled-{order}")
            corpus.add(f"tiff-strips-rgb-{order}-{w}x{h}.tiff",
                       write_tiff(rgb_array, 2, big_endian, rows_per_strip=5, deflate=True), "tiff",
                       f"strips-rgb-deflate-{order}")
            corpus.add(f"tiff-miniswhite-{order}-{w}x{h}.tiff",
                       write_tiff(rgb_array[:, :, :1], 0, big_endian, rows_per_strip=3), "tiff", f"l-miniswhite-{order}")
            colormap = np.random.default_rng(740 + index).integers(0, 65536, size=3 * 16)
            corpus.add(f"tiff-palette4-{order}-{w}x{h}.tiff",
                       write_tiff_packed(natural(w, h, 1, 750 + index, 15)[:, :, 0], 4, 3, big_endian, colormap),
                       "tiff", f"palette4-{order}")


# ---------------------------------------------------------------- BMP

def bmp_file(width, height, bits, pixel_rows, palette=None, compression=0, top_down=False, masks=None,
             header_size=40):
    """pixel_rows: the encoded pixel array (bytes) in file order."""
    colors = 0 if palette is None else len(palette) // 4
    extra = b""
    if masks is not None and header_size == 40:
        extra = struct.pack("<3I", *masks[:3])
    info = struct.pack("<IiiHHIIiiII", header_size, width, -height if top_down else height, 1, bits, compression,
                       len(pixel_rows), 2835, 2835, colors, 0)
    if header_size > 40:
        tail = struct.pack("<4I", *(masks or (0, 0, 0, 0)))
        info += (tail + b"\x00" * header_size)[: header_size - 40]
    offset = 14 + len(info) + len(extra) + (len(palette) if palette else 0)
    head = b"BM" + struct.pack("<IHHI", offset + len(pixel_rows), 0, 0, offset)
    return head + info + extra + (palette or b"") + pixel_rows


def bmp_rows(rows_bytes, top_down):
    stride = (len(rows_bytes[0]) + 3) & ~3
    padded = [row + b"\x00" * (stride - len(row)) for row in rows_bytes]
    return b"".join(padded if top_down else padded[::-1])


def rle8(indices):
    out = bytearray()
    for row in indices:
        x = 0
        while x < len(row):
            run = 1
            while x + run < len(row) and run < 255 and row[x + run] == row[x]:
                run += 1
            if run >= 3 or len(row) - x < 3:
                out += bytes([run, row[x]])
                x += run
            else:
                count = min(len(row) - x, 255)
                count = max(3, min(count, 20))
                count = min(count, len(row) - x)
                out += bytes([0, count]) + bytes(row[x:x + count]) + (b"\x00" if count % 2 else b"")
                x += count
        out += b"\x00\x00"
    return bytes(out) + b"\x00\x01"


def rle4(indices):
    out = bytearray()
    for row in indices:
        x = 0
        while x < len(row):
            count = min(len(row) - x, 6)
            if count >= 3 and x % 2 == 0:
                packed = bytes(((row[x + i] << 4) | (row[x + i + 1] if i + 1 < count else 0)) for i in range(0, count, 2))
                out += bytes([0, count]) + packed + (b"\x00" if len(packed) % 2 else b"")
            else:
                pair = (row[x] << 4) | (row[x + 1] if count > 1 else 0)
                out += bytes([count, pair])
            x += count
        out += b"\x00\x00"
    return bytes(out) + b"\x00\x01"


def bmp_corpus(corpus):
    for index, (w, h) in enumerate([(64, 48), (17, 33), (1, 1), (2, 2), (31, 7)]):
        rgb_array = natural(w, h, 3, 800 + index)
        rgba_array = natural(w, h, 4, 810 + index)
        rgb = Image.fromarray(rgb_array)
        corpus.add_pillow(f"bmp-pil-rgb-{w}x{h}.bmp", rgb, "bmp", "pillow-24bit")
        corpus.add_pillow(f"bmp-pil-l-{w}x{h}.bmp", rgb.convert("L"), "bmp", "pillow-8bit-gray")
        corpus.add_pillow(f"bmp-pil-1-{w}x{h}.bmp", rgb.convert("1"), "bmp", "pillow-1bit")
        corpus.add_pillow(f"bmp-pil-p-{w}x{h}.bmp", rgb.quantize(77), "bmp", "pillow-8bit-palette")
        corpus.add_pillow(f"bmp-pil-rgba-{w}x{h}.bmp", Image.fromarray(rgba_array), "bmp", "pillow-32bit")
        rng = np.random.default_rng(820 + index)
        for top_down in (False, True):
            tag = f"{'td' if top_down else 'bu'}-{w}x{h}"
            rows = [bytes(r[:, ::-1].reshape(-1)) for r in rgb_array]
            corpus.add(f"bmp-24-{tag}.bmp", bmp_file(w, h, 24, bmp_rows(rows, top_down), top_down=top_down),
                       "bmp", "24bit")
            rows32 = [bytes(np.concatenate([r[:, ::-1], rgba_array[y, :, 3:]], axis=1).reshape(-1))
                      for y, r in enumerate(rgb_array)]
            corpus.add(f"bmp-32-{tag}.bmp", bmp_file(w, h, 32, bmp_rows(rows32, top_down), top_down=top_down),
                       "bmp", "32bit")
            corpus.add(f"bmp-32bf-{tag}.bmp",
                       bmp_file(w, h, 32, bmp_rows(rows32, top_down), compression=3, top_down=top_down,
                                masks=(0xFF0000, 0xFF00, 0xFF, 0)), "bmp", "32bit-bitfields")
            corpus.add(f"bmp-32v5-{tag}.bmp",
                       bmp_file(w, h, 32, bmp_rows(rows32, top_down), compression=3, top_down=top_down,
                                masks=(0xFF0000, 0xFF00, 0xFF, 0xFF000000), header_size=124),
                       "bmp", "32bit-bitfields-alpha-v5")
            for bits in (1, 4, 8):
                entries = 1 << bits
                size = int(rng.integers(max(2, entries // 2), entries + 1))
                palette = bytes(rng.integers(0, 256, size=(size, 4), dtype=np.uint8).reshape(-1))
                indices = natural(w, h, 1, 830 + index + bits, entries - 1)[:, :, 0]
                rows = [pack_row(r, bits) for r in indices]
                corpus.add(f"bmp-{bits}-{tag}.bmp",
                           bmp_file(w, h, bits, bmp_rows(rows, top_down), palette=palette, top_down=top_down),
                           "bmp", f"{bits}bit-palette")
            for bits, mask in ((16, None), (16, (0xF800, 0x7E0, 0x1F))):
                r5 = (rgb_array[:, :, 0].astype(np.uint16) >> 3)
                b5 = (rgb_array[:, :, 2].astype(np.uint16) >> 3)
                if mask is None:
                    words = (r5 << 10) | ((rgb_array[:, :, 1].astype(np.uint16) >> 3) << 5) | b5
                else:
                    words = (r5 << 11) | ((rgb_array[:, :, 1].astype(np.uint16) >> 2) << 5) | b5
                rows = [row.astype("<u2").tobytes() for row in words]
                corpus.add(f"bmp-16{'-565' if mask else ''}-{tag}.bmp",
                           bmp_file(w, h, 16, bmp_rows(rows, top_down), compression=3 if mask else 0,
                                    top_down=top_down, masks=mask), "bmp", "16bit-565" if mask else "16bit-555")
        # OS/2 1.x core header (12 bytes, 16-bit sizes, 3-byte palette entries).
        rows = [bytes(r[:, ::-1].reshape(-1)) for r in rgb_array]
        core = struct.pack("<IHHHH", 12, w, h, 1, 24)
        pixels = bmp_rows(rows, False)
        corpus.add(f"bmp-os2-24-{w}x{h}.bmp", b"BM" + struct.pack("<IHHI", 26 + len(pixels), 0, 0, 26) + core + pixels,
                   "bmp", "os2-24bit")
        palette3 = bytes(rng.integers(0, 256, size=(256, 3), dtype=np.uint8).reshape(-1))
        indices = natural(w, h, 1, 860 + index, 255)[:, :, 0]
        pixels = bmp_rows([bytes(r) for r in indices], False)
        core = struct.pack("<IHHHH", 12, w, h, 1, 8)
        corpus.add(f"bmp-os2-8-{w}x{h}.bmp",
                   b"BM" + struct.pack("<IHHI", 26 + 768 + len(pixels), 0, 0, 26 + 768) + core + palette3 + pixels,
                   "bmp", "os2-8bit-palette")
        palette8 = bytes(rng.integers(0, 256, size=(256, 4), dtype=np.uint8).reshape(-1))
        indices8 = natural(w, h, 1, 840 + index, 40)[:, :, 0]
        corpus.add(f"bmp-rle8-{w}x{h}.bmp", bmp_file(w, h, 8, rle8(indices8[::-1]), palette=palette8, compression=1),
                   "bmp", "rle8")
        palette4 = bytes(rng.integers(0, 256, size=(16, 4), dtype=np.uint8).reshape(-1))
        indices4 = natural(w, h, 1, 850 + index, 15)[:, :, 0]
        corpus.add(f"bmp-rle4-{w}x{h}.bmp", bmp_file(w, h, 4, rle4(indices4[::-1]), palette=palette4, compression=2),
                   "bmp", "rle4")


# ---------------------------------------------------------------- PNM

def pnm_header(magic, width, height, maxval, comment):
    head = f"P{magic}\n"
    if comment:
        head += "# a comment line\n"
    head += f"{width} {height}\n" if magic in (1, 4) else f"{width}  {height}\n{maxval}\n"
    return head.encode()


def pnm_corpus(corpus):
    for index, (w, h) in enumerate([(64, 48), (17, 33), (1, 1), (2, 2)]):
        rgb = Image.fromarray(natural(w, h, 3, 900 + index))
        corpus.add_pillow(f"pnm-pil-rgb-{w}x{h}.ppm", rgb, "pnm", "pillow-p6", save_as="ppm")
        corpus.add_pillow(f"pnm-pil-l-{w}x{h}.pgm", rgb.convert("L"), "pnm", "pillow-p5", save_as="ppm")
        corpus.add_pillow(f"pnm-pil-1-{w}x{h}.pbm", rgb.convert("1"), "pnm", "pillow-p4", save_as="ppm")
        for maxval in (255, 1, 15, 100, 1000, 65535):
            gray = natural(w, h, 1, 910 + index + maxval, maxval)
            colour = natural(w, h, 3, 920 + index + maxval, maxval)
            comment = maxval in (100, 1000)
            dtype = ">u2" if maxval > 255 else np.uint8
            corpus.add(f"pnm-p5-{maxval}-{w}x{h}.pgm",
                       pnm_header(5, w, h, maxval, comment) + gray.astype(dtype).tobytes(), "pnm", f"p5-max{maxval}")
            corpus.add(f"pnm-p6-{maxval}-{w}x{h}.ppm",
                       pnm_header(6, w, h, maxval, comment) + colour.astype(dtype).tobytes(), "pnm", f"p6-max{maxval}")
            text = "\n".join(" ".join(str(v) for v in row.reshape(-1)) for row in gray)
            corpus.add(f"pnm-p2-{maxval}-{w}x{h}.pgm", pnm_header(2, w, h, maxval, comment) + text.encode() + b"\n",
                       "pnm", f"p2-max{maxval}")
            text = "\n".join(" ".join(str(v) for v in row.reshape(-1)) for row in colour)
            corpus.add(f"pnm-p3-{maxval}-{w}x{h}.ppm", pnm_header(3, w, h, maxval, comment) + text.encode() + b"\n",
                       "pnm", f"p3-max{maxval}")
        bits = natural(w, h, 1, 930 + index, 1)[:, :, 0]
        text = "\n".join(" ".join(str(v) for v in row) for row in bits)
        corpus.add(f"pnm-p1-{w}x{h}.pbm", pnm_header(1, w, h, 1, True) + text.encode() + b"\n", "pnm", "p1")
        compact = "\n".join("".join(str(v) for v in row) for row in bits)
        corpus.add(f"pnm-p1-compact-{w}x{h}.pbm", pnm_header(1, w, h, 1, False) + compact.encode() + b"\n",
                   "pnm", "p1-compact")
        packed = b"".join(pack_row(row, 1) for row in bits)
        corpus.add(f"pnm-p4-{w}x{h}.pbm", pnm_header(4, w, h, 1, True) + packed, "pnm", "p4")


BUILDERS = {"png": png_corpus, "webp": webp_corpus, "tiff": tiff_corpus, "bmp": bmp_corpus, "pnm": pnm_corpus}


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    warnings.simplefilter("ignore")
    outdir = args[0]
    formats = list(BUILDERS)
    if len(args) >= 3 and args[1] == "--formats":
        formats = args[2].split(",")
    os.makedirs(outdir, exist_ok=True)
    corpus = Corpus(outdir)
    for name in formats:
        BUILDERS[name](corpus)
    with open(os.path.join(outdir, "manifest.json"), "w") as handle:
        json.dump(corpus.entries, handle, indent=1)
    print(f"{len(corpus.entries)} files")


if __name__ == "__main__":
    main()
