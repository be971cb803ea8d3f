"""Writes tar archives with Python's tarfile in USTAR, GNU and PAX formats, covering long names, non-ASCII names,
directories, links, devices, empty files and sizes around the 512-byte block, plus gzip and zstd copies (single and
multi-member/multi-frame). Prints the manifest of every archive as tarfile reads it back (see tar_manifest.py).

Usage: tar_make_archives.py OUTDIR
"""
import gzip
import io
import json
import os
import sys
import tarfile

import zstandard

from tar_manifest import manifest


def payload(size, seed):
    return bytes((index * 31 + seed * 7 + (index >> 8)) & 0xFF for index in range(size))


def add_file(archive, name, data, **fields):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = fields.get("mtime", 1_700_000_000)
    info.mode = fields.get("mode", 0o644)
    info.uid = fields.get("uid", 1000)
    info.gid = 1000
    info.uname = "user"
    info.gname = "group"
    archive.addfile(info, io.BytesIO(data))


def add_special(archive, name, kind, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mtime = 1_700_000_000
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    archive.addfile(info)


def common_members(archive, seed):
    add_special(archive, "data", tarfile.DIRTYPE)
    add_file(archive, "data/empty.txt", b"")
    for index, size in enumerate([1, 511, 512, 513, 1023, 1024, 1025, 4096, 10_000]):
        add_file(archive, f"data/size_{size}.bin", payload(size, seed + index))
    add_special(archive, "data/link_to_512", tarfile.SYMTYPE, "size_512.bin")
    add_special(archive, "data/hard_511", tarfile.LNKTYPE, "data/size_511.bin")
    add_special(archive, "data/fifo", tarfile.FIFOTYPE)
    add_special(archive, "data/chardev", tarfile.CHRTYPE)
    add_file(archive, "data/caf\u00e9/\u732b.jpg", payload(700, seed + 20))
    # A name longer than 100 bytes that ustar stores split into prefix + name.
    split = "p" * 60 + "/" + "q" * 50 + "/" + "r" * 80 + ".bin"
    add_file(archive, split, payload(300, seed + 21))


def long_members(archive, seed):
    add_file(archive, "long/" + "a" * 120 + ".txt", payload(1500, seed + 30))
    add_file(archive, "long/" + "/".join(["segment" + "x" * 40] * 7) + "/deep.bin", payload(2000, seed + 31))
    add_file(archive, "long/\u00fcber-" + "\u00e9" * 80 + ".txt", payload(100, seed + 32))
    add_special(archive, "long/link", tarfile.SYMTYPE, "target/" + "t" * 150)
    add_file(archive, "long/big_uid.bin", payload(10, seed + 33), uid=3_000_000)


def build(path, fmt, extra, pax_headers=None):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt, encoding="utf-8", pax_headers=pax_headers) as archive:
        common_members(archive, {tarfile.USTAR_FORMAT: 1, tarfile.GNU_FORMAT: 2, tarfile.PAX_FORMAT: 3}[fmt])
        if extra:
            long_members(archive, 5)
    data = buffer.getvalue()
    with open(path, "wb") as handle:
        handle.write(data)
    return data


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    paths = []
    sources = {
        "ustar.tar": build(os.path.join(out, "ustar.tar"), tarfile.USTAR_FORMAT, False),
        "gnu.tar": build(os.path.join(out, "gnu.tar"), tarfile.GNU_FORMAT, True),
        "pax.tar": build(os.path.join(out, "pax.tar"), tarfile.PAX_FORMAT, True, {"comment": "global record"}),
    }
    for name, data in sources.items():
        paths.append(os.path.join(out, name))
        with open(os.path.join(out, name + ".gz"), "wb") as handle:
            handle.write(gzip.compress(data, mtime=0))
        with open(os.path.join(out, name + ".zst"), "wb") as handle:
            handle.write(zstandard.ZstdCompressor(level=3).compress(data))
        half = len(data) // 2
        with open(os.path.join(out, name + ".multi.gz"), "wb") as handle:
            handle.write(gzip.compress(data[:half], mtime=0) + gzip.compress(data[half:], mtime=0))
        with open(os.path.join(out, name + ".multi.zst"), "wb") as handle:
            compressor = zstandard.ZstdCompressor(level=1, write_content_size=False)
            handle.write(compressor.compress(data[:half]) + compressor.compress(data[half:]))
        paths += [os.path.join(out, name + suffix) for suffix in (".gz", ".zst", ".multi.gz", ".multi.zst")]
    print(json.dumps({os.path.basename(path): manifest(path) for path in paths}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
