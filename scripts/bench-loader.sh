#!/usr/bin/env bash
# Loader benchmark (issue 3): one epoch of an ImageNet-like ImageFolder set through RandomResizedCrop(224) + flip +
# normalise to Float32 NCHW, batch 64, on all cores: SGIDKit (exact and fast decoding) vs PyTorch DataLoader +
# torchvision vs DALI on the CPU, plus the bound of libjpeg-turbo decoding the same files at 1/8 scale; then the same
# images as WebDataset tar shards (made once by `sgid shards create`): `sgid run` vs webdataset + PyTorch DataLoader.
# Prints markdown tables (img/s, peak RSS, ratios), whether the targets are met, and one machine-readable line per
# target (RESULT<TAB>benchmark<TAB>ours<TAB>peer<TAB>ratio<TAB>target<TAB>met, read by scripts/bench-all.sh); see
# Benchmarks/README.md.
#
# Usage: scripts/bench-loader.sh [ROUNDS [REPEATS [SETS]]]
#   Every program runs ROUNDS epochs (default 3) per start and is started REPEATS times (default 2), the order of the
#   programs reversed on every other repeat so that slow drift of the machine hits all alike; the fastest epoch counts,
#   and the highest peak RSS of its starts.
#   SETS (or SGID_BENCH_SETS; default "default entropy") names the image sets, each benchmarked in turn with its own
#   tables, load averages and RESULT lines (labelled "SET set: ..."):
#     default  2048 JPEGs, 375-640 px sides, mild noise, quality 90 (Benchmarks/make_imagefolder.py)
#     entropy  512 high-entropy JPEGs (sensor-like noise, quality 85-95), 250-1000 px sides and every 32nd a 2-12 Mpx
#              photograph (Benchmarks/make_entropy_imagefolder.py; issue 16, item 2)
# Environment:
#   SGID_CACHE          cache folder (default ~/.cache/sgidkit); the sets go to $SGID_CACHE/bench-imagefolder and
#                       $SGID_CACHE/bench-imagefolder-entropy, their shards to the same paths + "-shards"
#   SGID_HEAVY_PYTHON   Python with Benchmarks/requirements-heavy.txt (default: made by scripts/setup-heavy.sh)
#   SGID_BENCH_SCRATCH  optional --scratch-path for swift build (default: the package's .build)
#   SGID_BENCH_THREADS  threads / workers for every loader (default: the number of cores)
# Ends with the prepared-shards table of scripts/bench-prepared-shards.sh (originals vs `sgid shards create --max-side N`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rounds="${1:-3}"
repeats="${2:-2}"
sets="${3:-${SGID_BENCH_SETS:-default entropy}}"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"
threads="${SGID_BENCH_THREADS:-$(nproc)}"
scratch=()
if [[ -n "${SGID_BENCH_SCRATCH:-}" ]]; then scratch=(--scratch-path "$SGID_BENCH_SCRATCH"); fi
for set_name in $sets; do
    case "$set_name" in
        default | entropy) ;;
        *) echo "bench-loader: unknown image set '$set_name' (known: default entropy)" >&2; exit 2 ;;
    esac
done

# 1. The heavy venv (made once by scripts/setup-heavy.sh, reused while its requirements files are unchanged).
python="${SGID_HEAVY_PYTHON:-$(bash scripts/setup-heavy.sh | tail -n 1)}"

# 2. Our programs.
swift build -c release --product LoaderBenchmark "${scratch[@]}" >&2
swift build -c release --product sgid "${scratch[@]}" >&2
bin="$(swift build -c release --show-bin-path "${scratch[@]}")"

# 3. An image set by name: its folder, generator, size and description (sets root, generator, image_count,
#    description), made (or remade when missing or when its generator changed) under $cache.
prepare_set() {
    case "$1" in
        default)
            root="$cache/bench-imagefolder"
            generator=(Benchmarks/make_imagefolder.py)
            image_count=2048
            description="2048 JPEGs in 10 classes (quality 90, 4:2:0, 375-640 px sides, mild noise)" ;;
        entropy)
            root="$cache/bench-imagefolder-entropy"
            generator=(Benchmarks/make_entropy_imagefolder.py Benchmarks/make_imagefolder.py)
            image_count=512
            description="512 high-entropy JPEGs in 10 classes (sensor-like noise, quality 85-95, 4:2:0; 496 with \
250-1000 px sides, 16 of 2-12 Mpx)" ;;
    esac
    local stamp
    stamp="$(cat "${generator[@]}" | sha256sum | cut -c1-16)"
    if [[ "$(cat "$root/.generator" 2>/dev/null)" != "$stamp" ]] \
        || [[ "$(find "$root" -name '*.jpg' 2>/dev/null | wc -l)" -ne "$image_count" ]]; then
        rm -rf "$root"
        "$python" "${generator[0]}" "$root" --count "$image_count"
        echo "$stamp" > "$root/.generator"
    fi
    set_stamp="$stamp"
}

# 4. The same images as WebDataset shards (128 samples each, written in a shuffled order: each shard mixes the
#    classes, as shards written for training do), remade when the image set or these settings change.
prepare_shards() {
    shards="$root-shards"
    local shard_size=128
    local shard_stamp="$set_stamp-$shard_size"
    if [[ "$(cat "$shards/.generator" 2>/dev/null)" != "$shard_stamp" ]] \
        || [[ "$(find "$shards" -name 'bench-*.tar' 2>/dev/null | wc -l)" -ne $((image_count / shard_size)) ]]; then
        rm -rf "$shards"
        mkdir -p "$shards"
        "$bin/sgid" shards create "$root" --out "$shards/bench-%06d.tar" --max-count "$shard_size" --shuffle --seed 0 >&2
        echo "$shard_stamp" > "$shards/.generator"
    fi
    shard_files=("$shards"/bench-*.tar)
    # sgid takes the shards as webdataset's brace pattern (a folder would be an ImageFolder).
    shard_pattern="$(printf '%s/bench-{%06d..%06d}.tar' "$shards" 0 $((${#shard_files[@]} - 1)))"
}

# 5. Every program in its own process (so each peak RSS is its own), one after the other.
program() {
    case "$1" in
        0) "$bin/LoaderBenchmark" loader "$root" --mode exact --rounds "$rounds" --threads "$threads" ;;
        1) "$bin/LoaderBenchmark" loader "$root" --mode fast --rounds "$rounds" --threads "$threads" ;;
        2) "$python" Benchmarks/peers/torch_loader.py "$root" --epochs "$rounds" --workers "$threads" ;;
        3) "$python" Benchmarks/peers/dali_loader.py "$root" --epochs "$rounds" --threads "$threads" ;;
        4) "$bin/LoaderBenchmark" bound "$root" --rounds "$rounds" --threads "$threads" ;;
        5) "$bin/LoaderBenchmark" loader "$root" --mode exact --randaugment --rounds "$rounds" --threads "$threads" ;;
        6) "$bin/LoaderBenchmark" loader "$root" --mode fast --randaugment --rounds "$rounds" --threads "$threads" ;;
        7) "$python" Benchmarks/peers/torch_loader.py "$root" --randaugment --epochs "$rounds" --workers "$threads" ;;
        8) "$python" Benchmarks/sgid_run_bench.py "$bin/sgid" "$shard_pattern" --peer ours-shards-exact --decode exact \
               --epochs "$rounds" --threads "$threads" ;;
        9) "$python" Benchmarks/sgid_run_bench.py "$bin/sgid" "$shard_pattern" --peer ours-shards-fast --decode fast \
               --epochs "$rounds" --threads "$threads" ;;
        10) "$python" Benchmarks/peers/webdataset_loader.py "${shard_files[@]}" --epochs "$rounds" --workers "$threads" ;;
    esac
}
names=("ours, exact" "ours, fast" "torch" "dali" "1/8 decoding bound" "ours, exact, RandAugment"
       "ours, fast, RandAugment" "torch, RandAugment" "sgid run on shards, exact" "sgid run on shards, fast"
       "webdataset + DataLoader")
programs=${#names[@]}

# 6. The tables of one set (the JSON lines go to the formatter's standard input).
table="$(cat <<'EOF'
import json
import sys

threads, rounds, repeats, set_name, description = sys.argv[1:6]
rows = {}  # per program: its fastest start, with the highest peak memory of all its starts
for line in map(json.loads, filter(str.strip, sys.stdin)):
    kept = rows.setdefault(line["peer"], line)
    peaks = {key: max(kept.get(key, 0), line.get(key, 0)) for key in ("peak_rss_mb", "peak_pss_mb")}
    cpu = min(kept["cpu_ms_per_img"], line["cpu_ms_per_img"])
    if line["img_per_s"] > kept["img_per_s"]:
        rows[line["peer"]] = kept = line
    kept.update(peaks, cpu_ms_per_img=cpu)
exact, fast, torch, dali, bound = (rows[name] for name in ("ours-exact", "ours-fast", "torch", "dali", "bound-1/8"))
augmented = {name: rows.pop(name) for name in ("ours-exact-randaugment", "ours-fast-randaugment", "torch-randaugment")}
sharded = {name: rows.pop(name) for name in ("ours-shards-exact", "ours-shards-fast", "webdataset")}
labels = {
    "ours-exact": "SGIDKit, exact decoding",
    "ours-fast": "SGIDKit, fast decoding (region + DCT scale)",
    "torch": f"PyTorch DataLoader + torchvision ({torch['workers']} workers)",
    "dali": f"DALI on the CPU ({dali['threads']} threads)",
    "bound-1/8": "bound: libjpeg-turbo decoding at 1/8 scale",
    "ours-exact-randaugment": "SGIDKit, exact decoding",
    "ours-fast-randaugment": "SGIDKit, fast decoding (region + DCT scale)",
    "torch-randaugment": f"PyTorch DataLoader + torchvision ({torch['workers']} workers)",
    "ours-shards-exact": "`sgid run`, exact decoding",
    "ours-shards-fast": "`sgid run --decode fast`",
    "webdataset": f"webdataset + PyTorch DataLoader ({sharded['webdataset']['workers']} workers)",
}


def memory(row):
    if row["peer"] == "bound-1/8":
        return "(all files in memory)"
    text = f"{row['peak_rss_mb']:.0f}"
    if row["peer"].startswith("torch") or row["peer"] == "webdataset":
        text += f" (PSS {row['peak_pss_mb']:.0f})"
    return text


print("| loader | img/s | CPU ms / img | peak RSS (MiB) | ours exact / it | ours fast / it |")
print("|---|---:|---:|---:|---:|---:|")
for name, row in rows.items():
    rate = row["img_per_s"]
    print(f"| {labels[name]} | {rate:.0f} | {row['cpu_ms_per_img']:.2f} | {memory(row)} | "
          f"{exact['img_per_s'] / rate:.2f}x | {fast['img_per_s'] / rate:.2f}x |")
print()
print("With torchvision RandAugment(num_ops=2, magnitude=9) after the flip (ours: tv_randaugment, the same ops, "
      "magnitudes, nearest filter and fill 0):")
print()
print("| loader | img/s | CPU ms / img | peak RSS (MiB) | ours exact / it | ours fast / it |")
print("|---|---:|---:|---:|---:|---:|")
ra_exact, ra_fast, ra_torch = (augmented[name] for name in augmented)
for name, row in augmented.items():
    rate = row["img_per_s"]
    print(f"| {labels[name]} | {rate:.0f} | {row['cpu_ms_per_img']:.2f} | {memory(row)} | "
          f"{ra_exact['img_per_s'] / rate:.2f}x | {ra_fast['img_per_s'] / rate:.2f}x |")
print()
wds = sharded["webdataset"]
print(f"The same images as {wds['shards']} WebDataset shards of {exact['images'] // wds['shards']} samples "
      f"(`sgid shards create --shuffle`), shard shuffle + a 1000-sample shuffle buffer on both sides:")
print()
print("| loader | img/s | CPU ms / img | peak RSS (MiB) | sgid run exact / it | sgid run fast / it |")
print("|---|---:|---:|---:|---:|---:|")
sh_exact, sh_fast = sharded["ours-shards-exact"], sharded["ours-shards-fast"]
for name, row in sharded.items():
    rate = row["img_per_s"]
    print(f"| {labels[name]} | {rate:.0f} | {row['cpu_ms_per_img']:.2f} | {memory(row)} | "
          f"{sh_exact['img_per_s'] / rate:.2f}x | {sh_fast['img_per_s'] / rate:.2f}x |")
print()
print(f"Image set '{set_name}': {description}; RandomResizedCrop(224) + "
      f"horizontal flip + ImageNet normalisation to Float32 NCHW, batch 64, {threads} threads/workers; "
      f"fastest of {repeats} starts x {rounds} epochs each (CPU ms / img: user + system time of all threads and worker "
      f"processes per image, the lowest start's). Torch's RSS sums its main and worker processes (PSS splits shared "
      f"pages).")
versions = dict(torch["versions"], **dali["versions"], **wds["versions"])
print("Peers: " + ", ".join(f"{name} {version}" for name, version in versions.items()) + ".")


def verdict(ok):
    return "met" if ok else "NOT met"


best = max(exact["img_per_s"], fast["img_per_s"])
ours_rss = max(exact["peak_rss_mb"], fast["peak_rss_mb"])
def cpu_ratio(peer):
    return f"CPU time per image {peer['cpu_ms_per_img'] / fast['cpu_ms_per_img']:.2f}x ours fast"


print(f"Target >= 4x PyTorch img/s: {verdict(best >= 4 * torch['img_per_s'])} "
      f"(exact {exact['img_per_s'] / torch['img_per_s']:.2f}x, fast {fast['img_per_s'] / torch['img_per_s']:.2f}x; "
      f"{cpu_ratio(torch)}).")
print(f"Target >= 2x DALI img/s: {verdict(best >= 2 * dali['img_per_s'])} "
      f"(exact {exact['img_per_s'] / dali['img_per_s']:.2f}x, fast {fast['img_per_s'] / dali['img_per_s']:.2f}x; "
      f"{cpu_ratio(dali)}).")
print(f"Target peak RSS below PyTorch's: {verdict(ours_rss < min(torch['peak_rss_mb'], torch['peak_pss_mb']))} "
      f"(ours {ours_rss:.0f} MiB, PyTorch {torch['peak_rss_mb']:.0f} MiB RSS / {torch['peak_pss_mb']:.0f} MiB PSS).")
shard_best = max(sh_exact["img_per_s"], sh_fast["img_per_s"])
shard_rss = max(sh_exact["peak_rss_mb"], sh_fast["peak_rss_mb"])
wds_memory = min(wds["peak_rss_mb"], wds["peak_pss_mb"])
print(f"Target >= 4x webdataset + DataLoader img/s: {verdict(shard_best >= 4 * wds['img_per_s'])} "
      f"(exact {sh_exact['img_per_s'] / wds['img_per_s']:.2f}x, fast {sh_fast['img_per_s'] / wds['img_per_s']:.2f}x; "
      f"CPU time per image {wds['cpu_ms_per_img'] / sh_fast['cpu_ms_per_img']:.2f}x sgid run fast).")
print(f"Target peak RSS below webdataset + DataLoader's: {verdict(shard_rss < wds_memory)} "
      f"(sgid run {shard_rss:.0f} MiB, webdataset {wds['peak_rss_mb']:.0f} MiB RSS / {wds['peak_pss_mb']:.0f} MiB PSS).")

# Machine-readable lines for scripts/bench-all.sh: benchmark, ours, peer, ratio, target, met.
def result(name, ours, peer, ratio, target, ok):
    print("\t".join(("RESULT", f"{set_name} set: {name}", ours, peer, f"{ratio:.2f}x", target, "yes" if ok else "no")))


torch_memory = min(torch["peak_rss_mb"], torch["peak_pss_mb"])
result("loader img/s vs PyTorch DataLoader", f"{best:.0f} img/s", f"{torch['img_per_s']:.0f} img/s",
       best / torch["img_per_s"], ">= 4x", best >= 4 * torch["img_per_s"])
result("loader img/s vs DALI (CPU)", f"{best:.0f} img/s", f"{dali['img_per_s']:.0f} img/s",
       best / dali["img_per_s"], ">= 2x", best >= 2 * dali["img_per_s"])
result("loader peak RSS vs PyTorch DataLoader", f"{ours_rss:.0f} MiB", f"{torch_memory:.0f} MiB",
       ours_rss / torch_memory, "< 1x", ours_rss < torch_memory)
result("loader (shards) img/s vs webdataset + DataLoader", f"{shard_best:.0f} img/s", f"{wds['img_per_s']:.0f} img/s",
       shard_best / wds["img_per_s"], ">= 4x", shard_best >= 4 * wds["img_per_s"])
result("loader (shards) peak RSS vs webdataset + DataLoader", f"{shard_rss:.0f} MiB", f"{wds_memory:.0f} MiB",
       shard_rss / wds_memory, "< 1x", shard_rss < wds_memory)
EOF
)"
# 7. Per set: the images and shards, every program ROUNDS x REPEATS, its tables and the machine's load.
first_set=1
for set_name in $sets; do
    prepare_set "$set_name"
    prepare_shards
    # Our own runs of the previous set lift the 1-minute average; let it fall below 1 (at most 2 minutes) so that the
    # load check below speaks of other programs, not of us.
    if [[ "$first_set" -eq 0 ]]; then
        for ((waited = 0; waited < 120; waited += 5)); do
            awk -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN { exit !(load < 1) }' && break
            sleep 5
        done
        echo "bench-loader: waited ${waited} s for the load of the previous set to settle" >&2
    fi
    first_set=0
    echo
    echo "Image set '$set_name' ($root):"
    echo
    results=""
    load_before="$(cut -d' ' -f1 /proc/loadavg)"
    for ((repeat = 0; repeat < repeats; repeat++)); do
        for ((i = 0; i < programs; i++)); do
            index=$((repeat % 2 == 0 ? i : programs - 1 - i))
            echo "bench-loader: set $set_name, run $((repeat + 1))/$repeats: ${names[$index]}" >&2
            results+="$(program "$index")"$'\n'
        done
    done
    "$python" -c "$table" "$threads" "$rounds" "$repeats" "$set_name" "$description" <<<"$results"
    load_after="$(cut -d' ' -f1 /proc/loadavg)"
    echo "Machine load (1-minute average) before / after the runs of set '$set_name': $load_before / $load_after" \
         "(other work on the machine lowers img/s; CPU ms / img moves much less)."
    # Our own runs keep about $threads threads busy; more than that means someone else shared the cores.
    if awk -v before="$load_before" -v after="$load_after" -v threads="$threads" \
            'BEGIN { exit !(before > 1 || after > threads + 1) }'; then
        echo "WARNING: other programs were running; the img/s ratios above are not reliable. Re-run on a quiet machine."
    fi
done

# 8. Prepared shards (issue 16): `sgid shards create --max-side N` against the originals' shards, same pipeline.
echo
echo "Prepared shards (scripts/bench-prepared-shards.sh $rounds 512):"
echo
bash scripts/bench-prepared-shards.sh "$rounds" 512
