#!/usr/bin/env bash
# Where the loader's time goes (issue 16, item 1): profiles `sgid run SET --pipeline 'random_resized_crop(size=224) |
# hflip' --batch-size 64 --output float32-nchw --decode fast` with perf (software clock, 999 Hz, call chains) on the
# loader benchmark's image sets and prints, per set, a markdown table of CPU time by stage (file read, header parse,
# entropy decoding, IDCT, colour conversion/upsampling, resize, flip, normalise/collate, queueing, allocation, ...):
# the share and CPU ms per image, grouped by Benchmarks/profile_stages.py (which explains the attribution). Under each
# table: the 1/8-scale decode bound of the same files (LoaderBenchmark bound: CPU ms per image of libjpeg-turbo
# decoding every file at 1/8 scale, nothing else) and the instruction count per image when the CPU's counters are
# readable (`perf stat -e instructions`; virtual machines often hide them, then it says so).
#
# Usage: scripts/profile-loader.sh [EPOCHS [SETS]]   (defaults: 3, "default entropy big")
#   SETS: default and entropy as in scripts/bench-loader.sh; big = the 16 photographs of 2-12 Mpx of the entropy set
#   alone (linked into $SGID_CACHE/bench-imagefolder-entropy-big), profiled for 8 x EPOCHS epochs; shards = the default
#   set's 16 WebDataset shards as bench-loader.sh writes them (run it once first), to see the tar reader's share.
# Environment:
#   SGID_CACHE           cache folder (default ~/.cache/sgidkit); the sets are made there by bench-loader.sh's
#                        generators when missing (see scripts/bench-loader.sh)
#   SGID_HEAVY_PYTHON    Python that makes a missing image set (default: made by scripts/setup-heavy.sh)
#   SGID_BENCH_THREADS   threads of `sgid run` (default 2)
#   SGID_BENCH_SCRATCH   optional --scratch-path for swift build
#   SGID_PROFILE_DETAIL  1: list the biggest symbols of each stage under its table
#   SGID_PROFILE_KEEP    a folder to keep the perf.data files in (default: a temporary folder, removed)
#   SGID_PROFILE_CALLGRIND  1: also count instructions per image and stage with valgrind's callgrind (user space only,
#                        1 thread: 2 epochs minus 1 epoch, so start-up cancels out; slow: ~50x). It runs a copy of
#                        sgid without debug info (valgrind 3.19 gives up on the Swift binary's DWARF).
# Needs perf (linux-perf) and permission to record (root, or kernel.perf_event_paranoid <= 1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

epochs="${1:-3}"
sets="${2:-default entropy big}"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"
threads="${SGID_BENCH_THREADS:-2}"
scratch=()
if [[ -n "${SGID_BENCH_SCRATCH:-}" ]]; then scratch=(--scratch-path "$SGID_BENCH_SCRATCH"); fi
command -v perf >/dev/null || { echo "profile-loader: perf is not installed" >&2; exit 1; }

swift build -c release --product sgid "${scratch[@]}" >&2
swift build -c release --product LoaderBenchmark "${scratch[@]}" >&2
bin="$(swift build -c release --show-bin-path "${scratch[@]}")"
python="$(bash scripts/setup.sh | tail -n 1)"  # the peer venv; profile_stages.py needs only the standard library
work="${SGID_PROFILE_KEEP:-}"
if [[ -z "$work" ]]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
libjpeg="$(ldd "$bin/sgid" | awk '/libjpeg/ { print $3 }')"
libjpeg="$(readlink -f "$libjpeg")"
detail=()
if [[ "${SGID_PROFILE_DETAIL:-0}" == 1 ]]; then detail=(--detail); fi
pipeline='random_resized_crop(size=224) | hflip'

# An image set by name (sets root, count and bound_root: the folder of the same images for the 1/8-scale bound), made
# when missing by bench-loader.sh's generators.
prepare_set() {
    local generator
    case "$1" in
        default) root="$cache/bench-imagefolder"; generator=Benchmarks/make_imagefolder.py; count=2048 ;;
        entropy | big) root="$cache/bench-imagefolder-entropy"; generator=Benchmarks/make_entropy_imagefolder.py
                       count=512 ;;
        shards)
            root="$cache/bench-imagefolder-shards"
            local files=("$root"/bench-*.tar)
            if [[ ! -e "${files[0]}" ]]; then
                echo "profile-loader: no shards in $root; run scripts/bench-loader.sh once to make them" >&2; exit 2
            fi
            count=$(( ${#files[@]} * 128 ))
            # sgid takes shards as webdataset's brace pattern (a folder would be an ImageFolder).
            root="$(printf '%s/bench-{%06d..%06d}.tar' "$root" 0 $((${#files[@]} - 1)))"
            bound_root="$cache/bench-imagefolder"
            return ;;
        *) echo "profile-loader: unknown image set '$1' (known: default entropy big shards)" >&2; exit 2 ;;
    esac
    if [[ "$(find "$root" -name '*.jpg' 2>/dev/null | wc -l)" -ne "$count" ]]; then
        heavy="${SGID_HEAVY_PYTHON:-$(bash scripts/setup-heavy.sh | tail -n 1)}"
        rm -rf "$root"
        "$heavy" "$generator" "$root" --count "$count"
    fi
    if [[ "$1" == big ]]; then
        # Every 32nd image of the entropy set (index % 32 == 31) is a 2-12 Mpx photograph.
        local source="$root" file name
        root="$cache/bench-imagefolder-entropy-big"
        rm -rf "$root"
        for file in "$source"/class_*/img_*.jpg; do
            name="$(basename "$file" .jpg)"
            if (( 10#${name#img_} % 32 == 31 )); then
                mkdir -p "$root/$(basename "$(dirname "$file")")"
                ln -s "$file" "$root/$(basename "$(dirname "$file")")/"
            fi
        done
        count="$(find "$root" -name '*.jpg' | wc -l)"
    fi
    bound_root="$root"
}

for set_name in $sets; do
    prepare_set "$set_name"
    set_epochs="$epochs"
    if [[ "$set_name" == big ]]; then set_epochs=$((8 * epochs)); fi
    run=("$bin/sgid" run "$root" --pipeline "$pipeline" --batch-size 64 --output float32-nchw --decode fast
         --threads "$threads" --epochs "$set_epochs")
    load_before="$(cut -d' ' -f1 /proc/loadavg)"
    perf record -q -e cpu-clock -F 999 -g -o "$work/$set_name.data" -- "${run[@]}" > "$work/$set_name.log" 2>&1
    images="$(awk '/^epoch [0-9]+:/ { sum += $5 } END { print sum }' "$work/$set_name.log")"
    rates="$(awk '/^epoch [0-9]+:/ { printf "%s%s", sep, $(NF - 1); sep = ", " }' "$work/$set_name.log")"
    load_after="$(cut -d' ' -f1 /proc/loadavg)"
    echo
    echo "Image set '$set_name' ($root), $images images ($set_epochs epochs; img/s under perf: $rates); machine load" \
         "(1-minute average) before / after: $load_before / $load_after"
    echo "Command: perf record -e cpu-clock -F 999 -g -- sgid run SET --pipeline '$pipeline' --batch-size 64" \
         "--output float32-nchw --decode fast --threads $threads --epochs $set_epochs"
    echo
    perf script -i "$work/$set_name.data" -F comm,tid,period,ip,sym,dso 2>/dev/null \
        | "$python" Benchmarks/profile_stages.py --images "$images" --libjpeg "$libjpeg" "${detail[@]}"
    echo
    # The bound: the same files decoded at 1/8 scale by libjpeg-turbo alone (no crop, resize or batch).
    bound="$("$bin/LoaderBenchmark" bound "$bound_root" --rounds "$set_epochs" --threads "$threads")"
    echo "1/8-scale decode bound (LoaderBenchmark bound $bound_root, $threads threads): $("$python" -c '
import json, sys
row = json.loads(sys.argv[1])
print("%.3f CPU ms / image (%.0f img/s)" % (row["cpu_ms_per_img"], row["img_per_s"]))' "$bound")"
    if [[ "${SGID_PROFILE_CALLGRIND:-0}" == 1 ]]; then
        command -v valgrind >/dev/null || { echo "profile-loader: SGID_PROFILE_CALLGRIND=1 needs valgrind" >&2; exit 1; }
        if [[ ! -e "$work/sgid-nodebug" ]]; then
            cp "$bin/sgid" "$work/sgid-nodebug"
            strip -g "$work/sgid-nodebug"
        fi
        one=("$work/sgid-nodebug" run "$root" --pipeline "$pipeline" --batch-size 64 --output float32-nchw --decode fast
             --threads 1 --prefetch 1)
        for n in 1 2; do
            valgrind --tool=callgrind --callgrind-out-file="$work/$set_name.callgrind-$n" "${one[@]}" --epochs "$n" \
                >/dev/null 2>&1
        done
        "$python" Benchmarks/profile_stages.py --callgrind "$work/$set_name.callgrind-1" "$work/$set_name.callgrind-2" \
            "$count"
    fi
    # Instructions per image, when the machine lets perf read the counter.
    counted="$(perf stat -x, -e instructions -- "${run[@]}" 2>&1 >/dev/null | grep ',instructions' || true)"
    instructions="${counted%%,*}"
    if [[ "$instructions" =~ ^[0-9]+$ ]]; then
        echo "Instructions: $(awk -v n="$instructions" -v images="$images" 'BEGIN { printf "%.2f M", n / images / 1e6 }')" \
             "per image (perf stat -e instructions, whole process)."
    else
        echo "Instructions: not counted (perf stat -e instructions: ${instructions:-no output}; the CPU's counters" \
             "are not visible here)."
    fi
done
