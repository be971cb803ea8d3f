#!/usr/bin/env bash
# Decode benchmark: SGIDKit's JPEG decoder vs a C program calling libjpeg-turbo directly, one thread, same files,
# full scale and 1/2, 1/4, 1/8. Prints a markdown table (img/s of each and the ratio) and one machine-readable line
# for the worst scale (RESULT<TAB>benchmark<TAB>ours<TAB>peer<TAB>ratio<TAB>target<TAB>met); see Benchmarks/README.md.
#
# Usage: scripts/bench.sh [ROUNDS [REPEATS]]
#        scripts/bench.sh all [ARGS]   runs every benchmark against its peers: scripts/bench-all.sh [ARGS]
#   Each program decodes the whole set ROUNDS times per scale (default 5) and is started REPEATS times (default 3),
#   alternating with the other so that slow drift of the machine hits both alike; the fastest pass counts.
# Environment:
#   SGID_CACHE          cache folder (default ~/.cache/sgidkit); images go to $SGID_CACHE/bench-images
#   SGID_PYTHON         Python with Benchmarks/requirements.txt (default $SGID_CACHE/venv-peers/bin/python)
#   SGID_BENCH_SCRATCH  optional --scratch-path for swift build (default: the package's .build)
#   SGID_BENCH_CPU      CPU to pin both programs to with taskset (default 0; empty = no pinning)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ "${1:-}" == "all" ]]; then exec bash scripts/bench-all.sh "${@:2}"; fi

rounds="${1:-5}"
repeats="${2:-3}"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"
python="${SGID_PYTHON:-$cache/venv-peers/bin/python}"
images="$cache/bench-images"
image_count=200
cpu="${SGID_BENCH_CPU-0}"
scratch=()
if [[ -n "${SGID_BENCH_SCRATCH:-}" ]]; then scratch=(--scratch-path "$SGID_BENCH_SCRATCH"); fi

# 1. Build both programs.
swift build -c release --product CodecBenchmark "${scratch[@]}" >&2
bin="$(swift build -c release --show-bin-path "${scratch[@]}")"
libjpeg_flags="$(pkg-config --cflags --libs libjpeg 2>/dev/null || echo -ljpeg)"
# shellcheck disable=SC2086  # pkg-config output is a list of flags
gcc -O2 -Wall -Wextra -o "$bin/jpeg_baseline" Benchmarks/c/jpeg_baseline.c $libjpeg_flags

# 2. The image set, regenerated when missing or when the generator changed.
stamp="$(sha256sum Benchmarks/make_bench_images.py | cut -c1-16)"
if [[ "$(cat "$images/.generator" 2>/dev/null)" != "$stamp" ]] \
    || [[ "$(find "$images" -name 'bench_*.jpg' 2>/dev/null | wc -l)" -ne "$image_count" ]]; then
    if ! "$python" -c 'import PIL, numpy, skimage' 2>/dev/null; then
        if [[ -z "${SGID_PYTHON:-}" && -x "$python" ]]; then
            # The project's own venv (made by scripts/setup.sh): add the generator's packages to it.
            "$python" -m pip install --quiet --disable-pip-version-check -r Benchmarks/requirements.txt >&2
        else
            echo "bench.sh: $python lacks Pillow/numpy/scikit-image; run scripts/setup.sh, then" \
                 "$python -m pip install -r Benchmarks/requirements.txt (or set SGID_PYTHON)" >&2
            exit 1
        fi
    fi
    rm -rf "$images"
    "$python" Benchmarks/make_bench_images.py "$images" --count "$image_count"
    echo "$stamp" > "$images/.generator"
fi
files=("$images"/bench_*.jpg)

# 3. Run both on one core, alternating which goes first.
pin=()
if [[ -n "$cpu" ]] && command -v taskset >/dev/null; then pin=(taskset -c "$cpu"); fi
c_out="" ours_out=""
for ((run = 0; run < repeats; run++)); do
    if ((run % 2 == 0)); then
        c_out+="$("${pin[@]}" "$bin/jpeg_baseline" --rounds "$rounds" "${files[@]}")"$'\n'
        ours_out+="$("${pin[@]}" "$bin/CodecBenchmark" --rounds "$rounds" "${files[@]}")"$'\n'
    else
        ours_out+="$("${pin[@]}" "$bin/CodecBenchmark" --rounds "$rounds" "${files[@]}")"$'\n'
        c_out+="$("${pin[@]}" "$bin/jpeg_baseline" --rounds "$rounds" "${files[@]}")"$'\n'
    fi
done

# 4. The table. Both programs print lines: scale=D images=N best_s=S img_per_s=R checksum=C
best_rate() { grep "^scale=$1 " | sed -n 's/.*img_per_s=\([^ ]*\).*/\1/p' | sort -g | tail -n 1; }
checksums() { grep "^scale=$1 " | sed -n 's/.*checksum=\([^ ]*\).*/\1/p' | sort -u; }
echo "| scale | ours (img/s) | C libjpeg-turbo (img/s) | ours / C |"
echo "|---|---:|---:|---:|"
status=0 below_target="" worst=""
for scale in 1 2 4 8; do
    c_rate="$(best_rate "$scale" <<<"$c_out")"
    ours_rate="$(best_rate "$scale" <<<"$ours_out")"
    if [[ "$(checksums "$scale" <<<"$c_out$ours_out" | wc -l)" -ne 1 ]]; then
        echo "bench.sh: pixels differ between ours and C at 1/$scale" >&2
        status=1
    fi
    label="1/$scale"; [[ "$scale" == 1 ]] && label="full"
    awk -v label="$label" -v ours="$ours_rate" -v c="$c_rate" \
        'BEGIN { printf "| %s | %.0f | %.0f | %.1f%% |\n", label, ours, c, 100 * ours / c }'
    if awk -v ours="$ours_rate" -v c="$c_rate" 'BEGIN { exit !(ours < 0.95 * c) }'; then below_target+=" $label"; fi
    # The scale where ours/C is lowest: label, ours, C.
    if [[ -z "$worst" ]] || awk -v ours="$ours_rate" -v c="$c_rate" -v w="$worst" \
            'BEGIN { split(w, f, " "); exit !(ours / c < f[2] / f[3]) }'; then
        worst="$label $ours_rate $c_rate"
    fi
done
pinned="${pin[*]}"
echo
echo "${#files[@]} JPEGs (quality 90, 4:2:0, 375-640 px sides); one thread${pinned:+ ($pinned)};" \
     "best of $repeats runs x $rounds passes per program and scale;" \
     "$( ((status == 0)) && echo "output pixels identical (checksums match)." || echo "OUTPUT PIXELS DIFFER at the scales named above.")"
if [[ -n "$below_target" ]]; then
    echo "Target ours/C >= 95% at every scale: NOT met at$below_target."
else
    echo "Target ours/C >= 95% at every scale: met."
fi
read -r worst_label worst_ours worst_c <<<"$worst"
awk -v l="$worst_label" -v o="$worst_ours" -v c="$worst_c" -v met="$([[ -z "$below_target" ]] && echo yes || echo no)" \
    'BEGIN { printf "RESULT\tJPEG decode vs C libjpeg-turbo (worst scale: %s)\t%.0f img/s\t%.0f img/s\t%.2fx\t>= 0.95x\t%s\n", l, o, c, o / c, met }'
exit "$status"
