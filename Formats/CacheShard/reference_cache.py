#!/usr/bin/env python3
"""Reference reader and writer of the SGID cache shard format, version 1, written from SPEC.md alone.

Standard library plus `zstandard`. Usage:
  python reference_cache.py dump DIR_OR_SHARD   one JSON line per record (every checksum verified, index cross-checked)
  python reference_cache.py write STEM SPEC.json  writes STEM.sgidc + STEM.sgidx from a JSON description:
    {"records": [{"key": str, "source_digest": hex (64 chars), "fingerprint": str,
                  "provenance": object  (written as compact JSON)  or  "provenance_json": str (written verbatim),
                  "variants": [{"width", "height", "channels", "codec" (0 raw, 1 PNG, 2 JPEG), "quality", "seed",
                                "score": number or null (NaN), "payload_base64": str}]}]}
"""
import base64, glob, hashlib, json, math, os, struct, sys, zlib
import zstandard

FILE_MAGIC, RECORD_MAGIC, INDEX_MAGIC = b"SGIDCACH", b"SGRC", b"SGIDIDX1"
FILE_HEADER = 16
MAX_K, MAX_META, MAX_FRAME, MAX_CONTENT = 1024, 16 << 20, 512 << 20, 1 << 30


class FormatError(Exception):
    pass


def crc32(data):
    return zlib.crc32(data) & 0xFFFFFFFF


def require(condition, message):
    if not condition:
        raise FormatError(message)


class Cursor:
    """Reads little-endian fields from bytes, refusing to run past the end."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        require(self.pos + n <= len(self.data), "truncated")
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def u(self, fmt):
        return struct.unpack("<" + fmt, self.take(struct.calcsize(fmt)))[0]

    def str(self, fmt):
        return self.take(self.u(fmt)).decode("utf-8")


def unzstd(frame, limit, expected=None):
    """Decompresses exactly one zstd frame that declares its content size and carries a checksum."""
    params = zstandard.get_frame_parameters(frame)
    require(params.content_size != zstandard.CONTENTSIZE_UNKNOWN, "frame without content size")
    require(params.has_checksum, "frame without checksum flag")
    require(params.content_size <= limit, "frame content too large")
    require(expected is None or params.content_size == expected, "content size differs from descriptor")
    stream = zstandard.ZstdDecompressor().decompressobj()
    content = stream.decompress(frame)  # raises when the XXH64 checksum fails
    require(stream.eof and not stream.unused_data, "frame truncated or followed by extra bytes")
    require(len(content) == params.content_size, "content size mismatch")
    return content


def read_header(f, offset):
    """Reads and verifies a record header; returns (M, K, frames crc, variant frame lengths, header length)."""
    f.seek(offset)
    fixed = f.read(16)
    require(len(fixed) == 16 and fixed[:4] == RECORD_MAGIC, "bad record magic at %d" % offset)
    m, k, reserved, frames_crc = struct.unpack("<IHHI", fixed[4:])
    require(k <= MAX_K and m <= MAX_META and reserved == 0, "record header out of limits")
    rest = f.read(4 * k + 4)
    require(len(rest) == 4 * k + 4, "truncated record header")
    lengths = list(struct.unpack("<%dI" % k, rest[:4 * k]))
    require(struct.unpack("<I", rest[4 * k:])[0] == crc32(fixed + rest[:4 * k]), "record header crc")
    require(all(n <= MAX_FRAME for n in lengths), "variant frame too large")
    return m, k, frames_crc, lengths, 20 + 4 * k


def parse_meta(content, k):
    c = Cursor(content)
    require(c.u("H") == 1, "meta version")
    meta = {"key": c.str("I"), "source_digest": c.take(32), "fingerprint": c.str("I"), "provenance": c.str("I")}
    require(c.u("H") == k, "meta K differs from header K")
    meta["variants"] = []
    for _ in range(k):
        w, h, ch, codec, q, res, seed, score, length = struct.unpack("<IIBBBBQfI", c.take(28))
        require(ch in (1, 3, 4) and codec in (0, 1, 2) and res == 0, "bad variant descriptor")
        require((1 <= q <= 100) if codec == 2 else q == 0, "bad JPEG quality")
        require(codec != 0 or length == w * h * ch, "raw length differs from width*height*channels")
        require(length <= MAX_CONTENT, "variant content too large")
        meta["variants"].append({"width": w, "height": h, "channels": ch, "codec": codec, "quality": q,
                                 "seed": seed, "score": None if math.isnan(score) else score, "length": length})
    require(c.pos == len(content), "trailing bytes in meta frame")
    require(isinstance(json.loads(meta["provenance"]), dict), "provenance is not a JSON object")
    return meta


def check_file_header(f):
    head = f.read(FILE_HEADER)
    require(len(head) == 16 and head[:8] == FILE_MAGIC, "bad data file magic")
    version, flags, check = struct.unpack("<HHI", head[8:])
    require(version == 1 and flags == 0 and check == crc32(head[:12]), "bad data file header")


def iter_records(data_path):
    """Scans a data file from the start, verifying every checksum; yields (offset, length, record).

    A record is the meta dict with each variant's decompressed "payload" added. Any damage raises FormatError."""
    size = os.path.getsize(data_path)
    with open(data_path, "rb") as f:
        check_file_header(f)
        offset = FILE_HEADER
        while offset < size:
            m, k, frames_crc, lengths, h = read_header(f, offset)
            total = h + m + sum(lengths)
            require(offset + total <= size, "truncated record at %d" % offset)
            meta_frame = f.read(m)
            frames = [f.read(n) for n in lengths]
            require(crc32(meta_frame + b"".join(frames)) == frames_crc, "frame crc at %d" % offset)
            record = parse_meta(unzstd(meta_frame, MAX_META), k)
            for variant, frame in zip(record["variants"], frames):
                variant["payload"] = unzstd(frame, MAX_CONTENT, variant["length"])
            yield offset, total, record
            offset += total


def read_variant(data_path, offset, i):
    """Reads variant i of the record at offset: its header, then that variant's frame only."""
    with open(data_path, "rb") as f:
        m, k, _, lengths, h = read_header(f, offset)
        require(0 <= i < k, "variant index out of range")
        f.seek(offset + h + m + sum(lengths[:i]))
        frame = f.read(lengths[i])
        require(len(frame) == lengths[i], "truncated variant frame")
        return unzstd(frame, MAX_CONTENT)


def read_index(path):
    """Parses and verifies an index file: {"committed": int, "fingerprints": [str], "entries": [dict]}."""
    with open(path, "rb") as f:
        data = f.read()
    require(len(data) >= 4 and struct.unpack("<I", data[-4:])[0] == crc32(data[:-4]), "index crc")
    c = Cursor(data[:-4])
    require(c.take(8) == INDEX_MAGIC and c.u("H") == 1 and c.u("H") == 0, "bad index header")
    committed = c.u("Q")
    fingerprints = [c.str("H") for _ in range(c.u("I"))]
    entries = []
    for _ in range(c.u("I")):
        offset, length, k, fp = struct.unpack("<QIHH", c.take(16))
        require(fp < len(fingerprints), "fingerprint number out of range")
        entries.append({"offset": offset, "length": length, "k": k, "fingerprint": fingerprints[fp],
                        "source_digest": c.take(32), "key": c.str("H")})
    require(c.pos == len(c.data), "trailing bytes in index")
    return {"committed": committed, "fingerprints": fingerprints, "entries": entries}


def encode_record(r):
    """Encodes one record (same shape as iter_records yields, variants carry "payload") to bytes."""
    compressor = zstandard.ZstdCompressor(level=3, write_checksum=True, write_content_size=True)
    k = len(r["variants"])
    require(k <= MAX_K and len(r["source_digest"]) == 32, "bad record")
    s32 = lambda text: struct.pack("<I", len(text.encode())) + text.encode()
    meta = struct.pack("<H", 1) + s32(r["key"]) + r["source_digest"] + s32(r["fingerprint"]) + s32(r["provenance"])
    meta += struct.pack("<H", k)
    for v in r["variants"]:
        score = float("nan") if v.get("score") is None else v["score"]
        meta += struct.pack("<IIBBBBQfI", v["width"], v["height"], v["channels"], v["codec"], v.get("quality", 0),
                            0, v["seed"], score, len(v["payload"]))
    frames = [compressor.compress(meta)] + [compressor.compress(v["payload"]) for v in r["variants"]]
    head = RECORD_MAGIC + struct.pack("<IHHI", len(frames[0]), k, 0, crc32(b"".join(frames)))
    head += struct.pack("<%dI" % k, *[len(f) for f in frames[1:]])
    return head + struct.pack("<I", crc32(head)) + b"".join(frames)


def write_shard(stem, records):
    """Writes STEM.sgidc and STEM.sgidx (installed atomically) holding the records, committed as one group."""
    data = FILE_MAGIC + struct.pack("<HH", 1, 0)
    data += struct.pack("<I", crc32(data))
    fingerprints, entries = [], b""
    for r in records:
        encoded = encode_record(r)
        if r["fingerprint"] not in fingerprints:
            fingerprints.append(r["fingerprint"])
        key = r["key"].encode()
        entries += struct.pack("<QIHH", len(data), len(encoded), len(r["variants"]),
                               fingerprints.index(r["fingerprint"]))
        entries += r["source_digest"] + struct.pack("<H", len(key)) + key
        data += encoded
    index = INDEX_MAGIC + struct.pack("<HHQI", 1, 0, len(data), len(fingerprints))
    for fp in fingerprints:
        index += struct.pack("<H", len(fp.encode())) + fp.encode()
    index += struct.pack("<I", len(records)) + entries
    index += struct.pack("<I", crc32(index))
    with open(stem + ".sgidc", "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    with open(stem + ".sgidx.tmp", "wb") as f:
        f.write(index)
        f.flush()
        os.fsync(f.fileno())
    os.rename(stem + ".sgidx.tmp", stem + ".sgidx")
    directory = os.open(os.path.dirname(os.path.abspath(stem)), os.O_RDONLY)
    os.fsync(directory)
    os.close(directory)


def dump(target):
    shards = sorted(glob.glob(os.path.join(target, "*.sgidc"))) if os.path.isdir(target) else [target]
    for data_path in shards:
        index = read_index(data_path[:-len(".sgidc")] + ".sgidx")
        require(index["committed"] <= os.path.getsize(data_path), "index beyond data file")
        scanned = list(iter_records(data_path))
        committed = [item for item in scanned if item[0] + item[1] <= index["committed"]]
        require(len(committed) == len(index["entries"]), "index and scan disagree on the record count")
        end = committed[-1][0] + committed[-1][1] if committed else FILE_HEADER
        require(index["committed"] == end, "committed length is not a record boundary")
        for (offset, length, r), e in zip(committed, index["entries"]):
            require((e["offset"], e["length"], e["k"], e["fingerprint"], e["source_digest"], e["key"]) ==
                    (offset, length, len(r["variants"]), r["fingerprint"], r["source_digest"], r["key"]),
                    "index entry differs from record at %d" % offset)
        for offset, _, r in scanned:
            variants = []
            for i, v in enumerate(r["variants"]):
                require(read_variant(data_path, offset, i) == v["payload"], "read_variant differs from scan")
                fields = {name: v[name] for name in ("width", "height", "channels", "codec", "quality", "seed", "score")}
                variants.append(dict(fields, payload_sha256=hashlib.sha256(v["payload"]).hexdigest()))
            print(json.dumps({"shard": os.path.basename(data_path), "offset": offset, "key": r["key"],
                              "source_digest": r["source_digest"].hex(), "fingerprint": r["fingerprint"],
                              "provenance": json.loads(r["provenance"]), "variants": variants}, ensure_ascii=False))


def write(stem, spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    records = []
    for r in spec["records"]:
        provenance = r.get("provenance_json")
        if provenance is None:
            provenance = json.dumps(r["provenance"], ensure_ascii=False, separators=(",", ":"))
        variants = [dict(v, payload=base64.b64decode(v["payload_base64"])) for v in r["variants"]]
        records.append({"key": r["key"], "source_digest": bytes.fromhex(r["source_digest"]),
                        "fingerprint": r["fingerprint"], "provenance": provenance, "variants": variants})
    write_shard(stem, records)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        dump(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
