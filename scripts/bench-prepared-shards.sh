#!/usr/bin/env bash
# Prepared shards (issue 16, item 3): what `sgid shards create --max-side N` buys when re-training, and what it costs.
# From COUNT images of the loader benchmark's ImageNet-like set (every k-th of its 2048 JPEGs, 375-640 px sides) it
# writes WebDataset shards of the originals and prepared shards for each N in SGID_BENCH_MAX_SIDES, then reports per
# set of shards:
#   - img/s of `sgid run` with the loader benchmark's pipeline (random_resized_crop(size=224) | hflip, Float32 NCHW,
#     batch 64), exact and fast decoding, the fastest of ROUNDS epochs;
#   - the mean absolute pixel difference (0-255 scale, over all pixels and channels) of the batches after
#     `resize(size=256) | center_crop(size=224)` against the same batches from the originals. Random crops are not
#     compared: RandomResizedCrop draws its box from the image's own size, so the same seed picks different regions
#     on a smaller image; resize + center crop covers the same region of the scene on both, so the difference is only
#     what the preparation lost (resolution below 256 on the short side, and the JPEG re-encoding). For scale, the
#     same difference between the originals' fast and exact decoding is printed under the table.
# Prints a markdown table. The figures of img/s depend on the machine's load: it is printed with them.
#
# Usage: scripts/bench-prepared-shards.sh [ROUNDS [COUNT]]   (defaults 3 and 512; the smallest useful: 1 64)
# Environment:
#   SGID_CACHE             cache folder (default ~/.cache/sgidkit); scratch files go to $SGID_CACHE/bench-prepared
#   SGID_HEAVY_PYTHON      Python that makes the image set when it is missing (default: made by scripts/setup-heavy.sh)
#   SGID_BENCH_MAX_SIDES   the N to prepare (default "256 448": 448 keeps the short side of 4:3 images >= 256)
#   SGID_BENCH_THREADS     threads of `sgid run` (default: the number of cores)
#   SGID_BENCH_SCRATCH     optional --scratch-path for swift build
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rounds="${1:-3}"
count="${2:-512}"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"
set_root="$cache/bench-imagefolder"
work="$cache/bench-prepared"
sides="${SGID_BENCH_MAX_SIDES:-256 448}"
threads="${SGID_BENCH_THREADS:-$(nproc)}"
scratch=()
if [[ -n "${SGID_BENCH_SCRATCH:-}" ]]; then scratch=(--scratch-path "$SGID_BENCH_SCRATCH"); fi

# 1. The image set (the loader benchmark's; made here only when missing) and COUNT of its images, spread over classes.
if [[ "$(find "$set_root" -name '*.jpg' 2>/dev/null | wc -l)" -eq 0 ]]; then
    heavy="${SGID_HEAVY_PYTHON:-$(bash scripts/setup-heavy.sh | tail -n 1)}"
    "$heavy" Benchmarks/make_imagefolder.py "$set_root" --count 2048
fi
python="$(bash scripts/setup.sh | tail -n 1)"  # numpy + Pillow, for the pixel differences
rm -rf "$work"
mkdir -p "$work/images"
total="$(find "$set_root" -name '*.jpg' | wc -l)"
step=$(( total / count > 0 ? total / count : 1 ))
find "$set_root" -name '*.jpg' | sort | awk -v step="$step" -v count="$count" 'NR % step == 0 && n++ < count' |
    while read -r file; do
        class="$(basename "$(dirname "$file")")"
        mkdir -p "$work/images/$class"
        cp "$file" "$work/images/$class/"
    done
images="$(find "$work/images" -name '*.jpg' | wc -l)"

# 2. Our program, and the shards.
swift build -c release --product sgid "${scratch[@]}" >&2
sgid="$(swift build -c release --show-bin-path "${scratch[@]}")/sgid"
load_before="$(cut -d' ' -f1 /proc/loadavg)"
variants=(original)
"$sgid" shards create "$work/images" --out "$work/original/s-%04d.tar" --max-count 256 >/dev/null 2>&1
for side in $sides; do
    start=$(date +%s.%N)
    "$sgid" shards create "$work/images" --out "$work/max-side-$side/s-%04d.tar" --max-count 256 --max-side "$side" \
        > "$work/max-side-$side.log" 2>/dev/null
    echo "$(date +%s.%N) - $start" | bc > "$work/max-side-$side.seconds"
    variants+=("max-side-$side")
done

# 3. Speed: the loader benchmark's pipeline, fastest epoch of ROUNDS; then the batches of resize + center crop.
pattern() { echo "$work/$1/s-{0000..$(printf '%04d' $(( $(ls "$work/$1" | wc -l) - 1 )))}.tar"; }
fastest() {  # VARIANT DECODE -> img/s
    "$sgid" run "$(pattern "$1")" --pipeline 'random_resized_crop(size=224) | hflip' --batch-size 64 --epochs "$rounds" \
        --threads "$threads" --output float32-nchw --decode "$2" --seed 1 2>/dev/null |
        sed -n 's/.* \([0-9.]*\) img\/s.*/\1/p' | sort -g | tail -n 1
}
rows=""
for variant in "${variants[@]}"; do
    exact="$(fastest "$variant" exact)"
    fast="$(fastest "$variant" fast)"
    "$sgid" run "$(pattern "$variant")" --pipeline 'resize(size=256) | center_crop(size=224)' --batch-size "$images" \
        --limit 1 --no-shuffle --threads "$threads" --seed 1 --dump "$work/dump-$variant" >/dev/null 2>&1
    bytes="$(cat "$work/$variant"/*.tar | wc -c)"
    seconds="$(cat "$work/$variant.seconds" 2>/dev/null || echo -)"
    resized="$(sed -n 's/.*--max-side [0-9]*: \([0-9]*\) image(s) resized.*/\1/p' "$work/$variant.log" 2>/dev/null || true)"
    rows+="$variant $exact $fast $bytes $seconds ${resized:--}"$'\n'
done
# For scale: the same batches of the originals with the fast decoding (DCT-scaled JPEG decode) instead of the exact one.
"$sgid" run "$(pattern original)" --pipeline 'resize(size=256) | center_crop(size=224)' --batch-size "$images" \
    --limit 1 --no-shuffle --threads "$threads" --seed 1 --decode fast --dump "$work/dump-original-fast" >/dev/null 2>&1
load_after="$(cut -d' ' -f1 /proc/loadavg)"

# 4. The table.
printf '%s' "$rows" > "$work/rows.txt"
"$python" - "$work" "$images" "$rounds" "$threads" "$load_before" "$load_after" <<'EOF_PY'
import os
import sys

import numpy as np
from PIL import Image

work, images, rounds, threads, load_before, load_after = sys.argv[1:7]
with open(os.path.join(work, "rows.txt")) as handle:
    rows = [line.split() for line in handle if line.strip()]


def batch(variant):
    folder = os.path.join(work, "dump-" + variant, "epoch-0")
    names = sorted(name for name in os.listdir(folder) if name.endswith(".png"))
    return names, np.stack([np.asarray(Image.open(os.path.join(folder, name)).convert("RGB")) for name in names])


names, original = batch("original")
base = {row[0]: row for row in rows}["original"]
print("| shards | MiB | images resized | prepare s | img/s exact | img/s fast | exact / originals | fast / originals "
      "| mean abs pixel diff after resize(256) + center_crop(224) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for variant, exact, fast, size, seconds, resized in rows:
    other_names, other = batch(variant)
    assert other_names == names, (variant, len(other_names), len(names))
    difference = np.abs(other.astype(np.int32) - original.astype(np.int32)).mean()
    label = "originals" if variant == "original" else f"prepared, --max-side {variant.rsplit('-', 1)[1]}"
    prepare = "-" if seconds == "-" else f"{float(seconds):.1f}"
    print(f"| {label} | {int(size) / 2**20:.1f} | {resized} | {prepare} | {float(exact):.0f} | {float(fast):.0f} | "
          f"{float(exact) / float(base[1]):.2f}x | {float(fast) / float(base[2]):.2f}x | {difference:.2f} |")
fast_names, fast = batch("original-fast")
assert fast_names == names
print()
print(f"For scale: the originals' batches with --decode fast differ from the exact ones by "
      f"{np.abs(fast.astype(np.int32) - original.astype(np.int32)).mean():.2f}.")
print()
print(f"{images} JPEGs of the loader benchmark's set; sgid run with random_resized_crop(size=224) | hflip, Float32 NCHW, "
      f"batch 64, {threads} threads, fastest of {rounds} epochs; the difference over {len(names)} images x 224 x 224 x 3 "
      f"(0-255), same seed, canonical order. Machine load (1-minute average) before / after: {load_before} / {load_after}"
      + (" - LOADED: the img/s above are not reliable." if float(load_before) > 1 or float(load_after) > int(threads) + 1
         else "."))
EOF_PY
