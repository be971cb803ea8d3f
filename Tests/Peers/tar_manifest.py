"""Prints, as JSON, how Python's tarfile reads tar archives: every member's name, type, size, link name, mode,
mtime, uid and the SHA-256 of each regular member's data.

Usage: tar_manifest.py ARCHIVE...   ->  {"ARCHIVE": [member, ...], ...}
Compressed archives (gzip, zstd) are decompressed first, so they read exactly as the plain ones.
"""
import hashlib
import io
import json
import sys
import tarfile

TYPES = {
    tarfile.REGTYPE: "regular", tarfile.AREGTYPE: "regular", tarfile.CONTTYPE: "regular",
    tarfile.LNKTYPE: "hard link", tarfile.SYMTYPE: "symlink", tarfile.CHRTYPE: "character device",
    tarfile.BLKTYPE: "block device", tarfile.DIRTYPE: "directory", tarfile.FIFOTYPE: "fifo",
}


def raw_bytes(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:4] == b"\x28\xb5\x2f\xfd":
        import zstandard
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True)
        return reader.read()
    if data[:2] == b"\x1f\x8b":
        import gzip
        return gzip.decompress(data)
    return data


def manifest(path):
    members = []
    with tarfile.open(fileobj=io.BytesIO(raw_bytes(path)), mode="r:") as archive:
        for info in archive:
            entry = {
                "name": info.name, "type": TYPES.get(info.type, "other"), "size": info.size,
                "linkname": info.linkname, "mode": info.mode, "mtime": int(info.mtime // 1), "uid": info.uid,
            }
            if info.isreg():
                entry["sha256"] = hashlib.sha256(archive.extractfile(info).read()).hexdigest()
            members.append(entry)
    return members


def main():
    print(json.dumps({path: manifest(path) for path in sys.argv[1:]}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
