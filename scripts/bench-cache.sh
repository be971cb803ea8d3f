#!/usr/bin/env bash
# Generation-cache benchmark (issue 5): fetch of a cached 512x512 variant (lookup + read + zstd + decode to pixels)
# vs decoding the same image from JPEG q95 and PNG, bytes on disk per codec, raw at other zstd levels, and index
# build time / memory / lookups for 1M synthetic records. One thread. Prints markdown tables; see Benchmarks/README.md.
#
# Usage: scripts/bench-cache.sh [ROUNDS [CYCLES [RECORDS]]]     (defaults 5, 3, 1000000)
#   Every path is timed ROUNDS passes over the 50 images, CYCLES times round-robin; the fastest pass counts.
# Environment:
#   SGID_CACHE          cache folder (default ~/.cache/sgidkit); photographs from $SGID_CACHE/bench-images
#                       (made by scripts/bench.sh; made here too if the Python packages are there, else the
#                       benchmark generates procedural images and says so)
#   SGID_PYTHON         Python with Benchmarks/requirements.txt (default $SGID_CACHE/venv-peers/bin/python)
#   SGID_BENCH_SCRATCH  optional --scratch-path for swift build (default: the package's .build)
#   SGID_BENCH_CPU      CPU to pin the benchmark to with taskset (default 0; empty = no pinning)
#   TMPDIR              where the shards are written (default /tmp; about 0.75 GB, removed at the end)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rounds="${1:-5}"
cycles="${2:-3}"
records="${3:-1000000}"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"
python="${SGID_PYTHON:-$cache/venv-peers/bin/python}"
images="$cache/bench-images"
cpu="${SGID_BENCH_CPU-0}"
scratch=()
if [[ -n "${SGID_BENCH_SCRATCH:-}" ]]; then scratch=(--scratch-path "$SGID_BENCH_SCRATCH"); fi

# 1. Build.
swift build -c release --product CacheBenchmark "${scratch[@]}" >&2
bin="$(swift build -c release --show-bin-path "${scratch[@]}")"

# 2. The decode benchmark's photographs, made as scripts/bench.sh makes them when missing and possible.
stamp="$(sha256sum Benchmarks/make_bench_images.py | cut -c1-16)"
if [[ "$(cat "$images/.generator" 2>/dev/null)" != "$stamp" ]] && "$python" -c 'import PIL, numpy, skimage' 2>/dev/null; then
    rm -rf "$images"
    "$python" Benchmarks/make_bench_images.py "$images" --count 200 >&2
    echo "$stamp" > "$images/.generator"
fi

# 3. Run on one core.
pin=()
if [[ -n "$cpu" ]] && command -v taskset >/dev/null; then pin=(taskset -c "$cpu"); fi
"${pin[@]}" "$bin/CacheBenchmark" --rounds "$rounds" --cycles "$cycles" --records "$records" --image-dir "$images"
pinned="${pin[*]}"
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs;" \
     "$(uname -sr); zstd $(pkg-config --modversion libzstd 2>/dev/null || echo '?');" \
     "libjpeg-turbo $(dpkg-query -W -f='${Version}' libjpeg62-turbo 2>/dev/null || echo '?');" \
     "libpng $(pkg-config --modversion libpng 2>/dev/null || echo '?'); one thread${pinned:+ ($pinned)}."
