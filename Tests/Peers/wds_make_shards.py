"""Builds WebDataset shards for the loader's peer tests.

Usage: wds_make_shards.py OUTDIR

Writes shards made with webdataset's own ShardWriter/TarWriter, with GNU tar (gnu, pax and ustar formats: long
names, directories, links), with Python's tarfile (edge-case member names and types), and gzip/zstd variants.
Prints a JSON object: {"shards": [file names in OUTDIR], "errors": [shards the peer may reject part-way (duplicate
extensions)]}. The `fuzz-*.tar` shards hold random names made of the characters the naming rules care about.
"""

import gzip
import io
import json
import os
import random
import subprocess
import sys
import tarfile

import webdataset as wds
from webdataset import tariterators
import zstandard
from PIL import Image


def image_bytes(number, fmt):
    """A small deterministic image encoded as `fmt`."""
    image = Image.new("RGB", (8 + number % 5, 6 + number % 3))
    image.putdata([((number * 37 + i) % 256, (i * 11) % 256, (number + i * 3) % 256) for i in range(image.width * image.height)])
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def writer_samples():
    """Samples for ShardWriter: jpg+cls, png+json+txt, uppercase extensions, dotted directories, multi-part names."""
    samples = []
    for number in range(14):
        key = f"s{number:04d}"
        kind = number % 5
        if kind == 0:
            samples.append({"__key__": key, "jpg": image_bytes(number, "JPEG"), "cls": f"{number % 3}\n".encode()})
        elif kind == 1:
            samples.append({"__key__": key, "png": image_bytes(number, "PNG"),
                            "json": json.dumps({"label": number % 4, "caption": f"a photo {number}"}).encode(),
                            "txt": f"caption number {number}".encode()})
        elif kind == 2:
            samples.append({"__key__": key, "JPG": image_bytes(number, "JPEG"), "CLS": f" {number}\n".encode()})
        elif kind == 3:
            samples.append({"__key__": f"dir.x/{key}", "b.jpg": image_bytes(number, "JPEG"), "b.cls": b"2"})
        else:
            samples.append({"__key__": key, "seg.png": image_bytes(number, "PNG"), "jpg": image_bytes(number + 1, "JPEG"),
                            "cls": b"1", "txt.gz": gzip.compress(f"gz caption {number}".encode(), mtime=0)})
    return samples


def write_writer_shards(outdir):
    names = []
    pattern = os.path.join(outdir, "writer-%06d.tar")
    with wds.ShardWriter(pattern, maxcount=5, encoder=False, mtime=0, verbose=0) as sink:
        for sample in writer_samples():
            sink.write(sample)
    names += sorted(n for n in os.listdir(outdir) if n.startswith("writer-"))
    # gzip through TarWriter's own compression, zstd by compressing the plain shard.
    with wds.TarWriter(os.path.join(outdir, "writer-gz.tar.gz"), compress=True, encoder=False, mtime=0) as sink:
        for sample in writer_samples():
            sink.write(sample)
    names.append("writer-gz.tar.gz")
    with open(os.path.join(outdir, "writer-000000.tar"), "rb") as plain:
        data = plain.read()
    with open(os.path.join(outdir, "writer-zst.tar.zst"), "wb") as out:
        out.write(zstandard.ZstdCompressor(level=3).compress(data))
    names.append("writer-zst.tar.zst")
    return names


def write_tree(root):
    """A directory tree for GNU tar."""
    files = {
        "cls_a/0001.jpg": image_bytes(1, "JPEG"),
        "cls_a/0001.cls": b"0\n",
        "cls_a/0002.JPG": image_bytes(2, "JPEG"),
        "cls_a/0002.CLS": b"1",
        "dir.x/a.b.jpg": image_bytes(3, "JPEG"),
        "dir.x/a.b.cls": b"2",
        "dir.x/a.seg.png": image_bytes(4, "PNG"),
        "long/" + "n" * 120 + ".jpg": image_bytes(5, "JPEG"),
        "long/" + "n" * 120 + ".cls": b"3",
        "deep/" + "/".join(["d" * 40] * 4) + "/x.jpg": image_bytes(6, "JPEG"),
        "noext": b"no extension",
        "__meta__/info.json": b"{}",
        "__top__": b"metadata",
        "sub/.hidden.jpg": image_bytes(7, "JPEG"),
        "x.y/.z.jpg": image_bytes(8, "JPEG"),
        "\u00fcn\u00ef/\u00e7\u00f8d\u00e9.jpg": image_bytes(9, "JPEG"),
        "\u00fcn\u00ef/\u00e7\u00f8d\u00e9.txt": "caf\u00e9".encode(),
        "empty/zero.jpg": b"",
    }
    for name, data in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(data)
    os.makedirs(os.path.join(root, "emptydir"), exist_ok=True)
    os.symlink("cls_a/0001.jpg", os.path.join(root, "link.jpg"))
    os.link(os.path.join(root, "cls_a/0001.jpg"), os.path.join(root, "hard.jpg"))


def write_gnu_tar_shards(outdir):
    root = os.path.join(outdir, "tree")
    write_tree(root)
    names = []
    for fmt in ["gnu", "pax", "ustar"]:
        name = f"gnutar-{fmt}.tar"
        members = sorted(os.listdir(root))
        if fmt == "ustar":
            # ustar cannot hold the 125-byte base name.
            members = [m for m in members if m != "long"]
        subprocess.run(["tar", f"--format={fmt}", "--sort=name", "--mtime=@0", "--owner=0", "--group=0",
                        "--numeric-owner", "-C", root, "-cf", os.path.join(outdir, name)] + members, check=True)
        names.append(name)
    with open(os.path.join(outdir, "gnutar-pax.tar"), "rb") as plain:
        data = plain.read()
    with open(os.path.join(outdir, "gnutar-pax.tar.gz"), "wb") as out:
        out.write(gzip.compress(data, compresslevel=9, mtime=0))
    names.append("gnutar-pax.tar.gz")
    with open(os.path.join(outdir, "gnutar-gnu.tar"), "rb") as plain:
        data = plain.read()
    # Two frames: readers must treat concatenated zstd frames as one stream.
    half = len(data) // 2
    compressor = zstandard.ZstdCompressor(level=19)
    with open(os.path.join(outdir, "gnutar-gnu.tar.zst"), "wb") as out:
        out.write(compressor.compress(data[:half]) + compressor.compress(data[half:]))
    names.append("gnutar-gnu.tar.zst")
    return names


def add(tar, name, data=b"", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mtime = 0
    info.linkname = link
    if kind == tarfile.REGTYPE:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        tar.addfile(info)


def write_edge_shards(outdir):
    """Member names and types at the edges of webdataset's rules."""
    jpeg = image_bytes(10, "JPEG")
    with tarfile.open(os.path.join(outdir, "edge.tar"), "w", format=tarfile.PAX_FORMAT) as tar:
        add(tar, "dirmember", kind=tarfile.DIRTYPE)
        add(tar, "a.jpg", jpeg)
        add(tar, "b.jpg", jpeg)
        add(tar, "a.cls", b"4")  # not consecutive: a second sample with key "a"
        add(tar, "fifo.jpg", kind=tarfile.FIFOTYPE)
        add(tar, "hard.jpg", kind=tarfile.LNKTYPE, link="a.jpg")
        add(tar, "sym.jpg", kind=tarfile.SYMTYPE, link="a.jpg")
        add(tar, "___", b"x")
        add(tar, "__", b"x")
        add(tar, "__x__/y.jpg", jpeg)
        add(tar, "__x__y.jpg", jpeg)
        add(tar, "a/__m__", b"x")
        add(tar, "bad.jpg", jpeg)
        add(tar, "bad.__bad__", b"1")
        add(tar, "okbad.jpg", jpeg)
        add(tar, "okbad.__bad__", b"")
        add(tar, "MiXeD.JpG", jpeg)
        add(tar, "MiXeD.Seg.PNG", image_bytes(11, "PNG"))
        add(tar, "cap.jpg", jpeg)
        add(tar, "cap.txt.gz", gzip.compress(b"gzipped caption", mtime=0))
        add(tar, "n\nl/a.jpg", jpeg)
        add(tar, "sp ace/k e y.jpg", jpeg)
        add(tar, "zero.jpg", b"")
        add(tar, "sub/.hidden.jpg", jpeg)
        add(tar, "x.y/.z.jpg", jpeg)
        add(tar, "p" * 90 + "/" + "q" * 90 + "/r.s.t.jpg", jpeg)
        add(tar, "last.jpg", jpeg)
    with tarfile.open(os.path.join(outdir, "dup.tar"), "w", format=tarfile.USTAR_FORMAT) as tar:
        add(tar, "first.jpg", jpeg)
        add(tar, "first.cls", b"1")
        add(tar, "a.jpg", jpeg)
        add(tar, "a.cls", b"2")
        add(tar, "a.JPG", jpeg)  # the same extension after lowercasing
        add(tar, "a.txt", b"lost")
        add(tar, "after.jpg", jpeg)
    with tarfile.open(os.path.join(outdir, "keycollide.tar"), "w", format=tarfile.USTAR_FORMAT) as tar:
        add(tar, "k.jpg", jpeg)
        add(tar, "k.__key__", b"x")
        add(tar, "next.jpg", jpeg)
    variants = [b"7", b" 7\n", b"+3", b"-2", b"1_000", b"007", b"0x10", b"", b"1__0", b"_1", b"\xd9\xa3",
                b"\x0b5\x0c", b"\x1c7", b"99999999999999999999", b"12 3", b"4\n\n"]
    with tarfile.open(os.path.join(outdir, "labels.tar"), "w", format=tarfile.USTAR_FORMAT) as tar:
        for number, variant in enumerate(variants):
            key = f"l{number:02d}"
            add(tar, key + ".jpg", jpeg)
            ext = ["cls", "cls2", "index", "inx", "id"][number % 5]
            if number % 4 == 3:
                add(tar, key + "." + ext + ".gz", gzip.compress(variant, mtime=0))
            else:
                add(tar, key + "." + ext, variant)
        captions = [b"plain", b"  spaced\n", "caf\u00e9".encode(), b"\xff\xfe", b""]
        for number, caption in enumerate(captions):
            key = f"t{number:02d}"
            add(tar, key + ".png", image_bytes(number, "PNG"))
            add(tar, key + (".txt" if number % 2 == 0 else ".text"), caption)
        add(tar, "g00.jpg", jpeg)
        add(tar, "g00.cls.gz", b"not gzip")
    return ["edge.tar", "dup.tar", "keycollide.tar", "labels.tar"]


def write_fuzz_shards(outdir, count=24, members=40):
    """Random member names built from the characters webdataset's name rules care about (fixed seed)."""
    rng = random.Random(20240601)
    tokens = ["a", "b", "K", ".", ".", "/", "_", "__", "\n", "\u00e9", "x.y", "jpg", ".JPG", ".cls", "__k__"]
    names = []
    for index in range(count):
        name = f"fuzz-{index:02d}.tar"
        previous = []
        seen = set()  # (key, extension) of the sample being grouped, to avoid most duplicates
        current = None
        with tarfile.open(os.path.join(outdir, name), "w", format=tarfile.PAX_FORMAT) as tar:
            for number in range(members):
                for _attempt in range(20):
                    if previous and rng.random() < 0.5:
                        # Reuse a recent stem so consecutive members often share a key.
                        stem = rng.choice(previous[-3:]).split(".")[0]
                        member = stem + rng.choice([".jpg", ".cls", ".txt", ".seg.png", ".JPG", ".Cls", ".a.b"])
                    else:
                        member = "".join(rng.choice(tokens) for _ in range(rng.randint(1, 6)))
                    member = member.lstrip("/") or "z"
                    key, extension = tariterators.base_plus_ext(member)
                    # The last four shards keep duplicates, so errors are compared too.
                    if key is None or index >= count - 4 or (key, extension.lower()) not in seen:
                        break
                if key is not None:
                    if key != current:
                        current, seen = key, set()
                    seen.add((key, extension.lower()))
                previous.append(member)
                add(tar, member, f"{index}-{number}".encode())
        names.append(name)
    return names


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    fuzz = write_fuzz_shards(outdir)
    shards = write_writer_shards(outdir) + write_gnu_tar_shards(outdir) + write_edge_shards(outdir) + fuzz
    print(json.dumps({"shards": shards, "errors": ["dup.tar", "keycollide.tar"] + fuzz}))


if __name__ == "__main__":
    main()
