#!/usr/bin/env bash
# Native diffusion benchmark (issue 11, item 7): UNet forward img/s at batch 64 on 2 threads, the native runtime vs
# PyTorch CPU on the same weights (the shipped Fashion-MNIST architecture, and a 3-channel 64-px model with
# attention), the GFLOP/s reached as a share of OpenBLAS sgemm's peak measured in the same run, peak RSS; then
# `sgid precompute` with the native generator vs the diffusers worker on the same model folder, steps and batch.
# Prints markdown tables and whether the targets are met, then machine-readable lines
# (RESULT<TAB>benchmark<TAB>ours<TAB>peer<TAB>ratio<TAB>target<TAB>met, read by scripts/bench-all.sh); see
# Benchmarks/README.md ("Native diffusion runtime").
#
# Usage: scripts/bench-diffusion.sh [ROUNDS [REPEATS [STEPS]]]
#   Each forward measurement is the fastest of ROUNDS passes (default 5) after a warm-up; every program is started
#   REPEATS times (default 2), in alternating order; the best start counts. STEPS: denoising steps of the precompute
#   comparison (default 50; scripts/bench-all.sh passes fewer for its short setting).
# Environment: SGID_CACHE (default ~/.cache/sgidkit; models in $SGID_CACHE/bench-unet), SGID_HEAVY_PYTHON,
#   SGID_BENCH_THREADS (default 2), SGID_BENCH_SCRATCH (a --scratch-path for swift build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-5}"
repeats="${2:-2}"
steps="${3:-50}"
threads="${SGID_BENCH_THREADS:-2}"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"
models="$cache/bench-unet"
scratch=()
if [[ -n "${SGID_BENCH_SCRATCH:-}" ]]; then scratch=(--scratch-path "$SGID_BENCH_SCRATCH"); fi
python="${SGID_HEAVY_PYTHON:-$(bash scripts/setup-heavy.sh | tail -n 1)}"
stamp="$(sha256sum Benchmarks/peers/make_unet_models.py | cut -c1-16)"
if [[ "$(cat "$models/.generator" 2>/dev/null)" != "$stamp" ]]; then
    rm -rf "$models"
    "$python" Benchmarks/peers/make_unet_models.py "$models" >&2
    echo "$stamp" > "$models/.generator"
fi
swift build -c release --product DiffusionBenchmark "${scratch[@]}" >&2
swift build -c release --product sgid "${scratch[@]}" >&2
bin="$(swift build -c release --show-bin-path "${scratch[@]}")"
load_before="$(cut -d' ' -f1 /proc/loadavg)"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for ((repeat = 0; repeat < repeats; repeat++)); do
    for model in fashion attention64; do
        ours=("$bin/DiffusionBenchmark" unet --model "$models/$model" --batch 64 --threads "$threads" --rounds "$rounds")
        torch=("$python" Benchmarks/peers/torch_unet.py --model "$models/$model" --batch 64 --threads "$threads" --rounds "$rounds")
        echo "bench-diffusion: start $((repeat + 1))/$repeats, $model" >&2
        if ((repeat % 2 == 0)); then "${ours[@]}" >> "$results"; "${torch[@]}" >> "$results"
        else "${torch[@]}" >> "$results"; "${ours[@]}" >> "$results"; fi
    done
    "$bin/DiffusionBenchmark" sgemm --threads "$threads" >> "$results"
done

# Precompute: the same model folder, images, variants, steps, strength, guidance and batch on both generators.
work="$(mktemp -d)"
trap 'rm -f "$results"; rm -rf "$work"' EXIT
settings=(--variants 4 --strength 0.5 --guidance 2 --steps "$steps" --batch 16 --seed 1 --codec png)
echo "bench-diffusion: precompute, native" >&2
native="$("$bin/sgid" precompute "$models/precompute-images" --cache "$work/native" --generator native \
    --model "$models/fashion-pipeline" --threads "$threads" "${settings[@]}" 2>/dev/null | grep '^done:')"
echo "bench-diffusion: precompute, diffusers worker" >&2
worker="$(SGID_TORCH_THREADS="$threads" HF_HUB_OFFLINE=1 "$bin/sgid" precompute "$models/precompute-images" \
    --cache "$work/worker" --generator diffusers --model "$models/fashion-pipeline" --python "$python" \
    "${settings[@]}" 2>/dev/null | grep '^done:')"
load_after="$(cut -d' ' -f1 /proc/loadavg)"

"$python" - "$results" "$native" "$worker" "$load_before" "$load_after" "$threads" "$steps" <<'PY'
import json, re, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
native_line, worker_line, before, after, threads, steps = sys.argv[2:8]
def best(program, model):
    runs = [r for r in lines if r["program"] == program and r.get("model", "").endswith("/" + model)]
    return max(runs, key=lambda r: r["images_per_second"])
peak = max(r["gflops"] for r in lines if r["program"] == "openblas-sgemm")
core = next(r["blas_core"] for r in lines if r["program"] == "openblas-sgemm")
print(f"| model | MFLOP / image | native img/s | PyTorch img/s | native / PyTorch | native GFLOP/s | share of sgemm peak | peak RSS native / PyTorch (MiB) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
verdicts = []
for model, label in (("fashion", "Fashion-MNIST UNet (1×32×32, 16/32/32, 11 classes)"), ("attention64", "attention UNet (3×64×64, 32/64/64)")):
    ours, torch = best("sgid-native", model), best("pytorch", model)
    ratio = ours["images_per_second"] / torch["images_per_second"]
    share = ours["gflops"] / peak
    print(f"| {label} | {2 * ours['multiply_adds_per_image'] / 1e6:.1f} | {ours['images_per_second']:.0f} | "
          f"{torch['images_per_second']:.0f} | {ratio:.2f}x | {ours['gflops']:.0f} | {100 * share:.0f}% | "
          f"{ours['peak_rss_mib']:.0f} / {torch['peak_rss_mib']:.0f} |")
    verdicts.append((label, ratio, share, ours["peak_rss_mib"] <= torch["peak_rss_mib"], ours, torch))
rate = lambda text: float(re.search(r"\(([0-9.]+) images/s\)", text).group(1)) if "images/s" in text else float("nan")
print()
print(f"OpenBLAS sgemm peak ({core} kernels, {threads} threads x single-threaded 1024³): {peak:.0f} GFLOP/s.")
print(f"Batch 64, {threads} threads; torch {torch['torch']}; fastest pass of each program's best start.")
print()
print(f"| sgid precompute, same model folder, 48 images × 4 variants, {steps} steps × strength 0.5, guidance 2, batch 16 | images/s |")
print("|---|---:|")
print(f"| native generator ({threads} threads) | {rate(native_line):.2f} |")
print(f"| diffusers worker (torch, {threads} threads) | {rate(worker_line):.2f} |")
print(f"| native / worker | {rate(native_line) / rate(worker_line):.2f}x |")
print()
for label, ratio, share, rss, _, _ in verdicts:
    print(f"Target >= 1.5x PyTorch ({label}): {'met' if ratio >= 1.5 else 'NOT met'} ({ratio:.2f}x); "
          f">= 50% of sgemm peak: {'met' if share >= 0.5 else 'NOT met'} ({100 * share:.0f}%); peak RSS <= PyTorch's: {'met' if rss else 'NOT met'}.")
print(f"Machine load (1-minute average) before / after: {before} / {after}.")
if float(before) > 0.5:
    print("WARNING: other programs were running; the ratios above are not reliable. Re-run on a quiet machine.")
def result(name, ours, peer, ratio, target, ok):
    print("\t".join(("RESULT", name, ours, peer, ratio, target, ok)))
for (label, ratio, share, rss, ours, torch), short in zip(verdicts, ("Fashion-MNIST", "attention 64 px")):
    result(f"diffusion UNet img/s vs PyTorch ({short})", f"{ours['images_per_second']:.0f} img/s",
           f"{torch['images_per_second']:.0f} img/s", f"{ratio:.2f}x", ">= 1.5x", "yes" if ratio >= 1.5 else "no")
    result(f"diffusion UNet share of sgemm peak ({short})", f"{ours['gflops']:.0f} GFLOP/s", f"{peak:.0f} GFLOP/s",
           f"{share:.2f}x", ">= 0.5x", "yes" if share >= 0.5 else "no")
    result(f"diffusion UNet peak RSS vs PyTorch ({short})", f"{ours['peak_rss_mib']:.0f} MiB",
           f"{torch['peak_rss_mib']:.0f} MiB", f"{ours['peak_rss_mib'] / torch['peak_rss_mib']:.2f}x", "<= 1x",
           "yes" if rss else "no")
result("sgid precompute, native vs diffusers worker", f"{rate(native_line):.2f} img/s", f"{rate(worker_line):.2f} img/s",
       f"{rate(native_line) / rate(worker_line):.2f}x", "(none)", "-")
PY
