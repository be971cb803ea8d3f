#!/usr/bin/env bash
# SGID's effect on Fashion-MNIST, end to end and without Python in the loop (issue 12): 100 images per class drawn from
# train[50000:56000] (the generator and its scorer never saw train[50000:60000]), a validation split train[56000:60000]
# held out of the same pool, the 10,000 test images; the shipped native generator precomputes K variants per training
# image once (cached, reused by every run); then the Swift classifier trains with
#   base            pad-2 random crop + horizontal flip
#   randaugment     + torchvision RandAugment(2, M)
#   sgid            SGID (p) before the crop and flip
#   sgid+ra         SGID + RandAugment
#   sgid+filter     SGID using only variants the scorer gives at least MIN_SCORE for their label
#   sgid+filter+ra  both
# over SEEDS seeds, and writes the table (test accuracy mean ± std, validation accuracy, cost) to
# Examples/FashionMNIST/RESULTS.md. Settings come from Examples/FashionMNIST/settings.env.
#
# Usage: bash scripts/experiment-fashion.sh [SEEDS]     the experiment (default 3 seeds; ~25 min on 2 cores)
#        bash scripts/experiment-fashion.sh search      the validation search that chose settings.env (writes SEARCH.md;
#                                                       ~45 min): RandAugment magnitude, strength, p, filter threshold
# Environment: SGID_EXPERIMENT_DIR (data, caches, runs; default ~/.cache/sgidkit/experiment-fashion), SGID_THREADS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode="${1:-3}"
work="${SGID_EXPERIMENT_DIR:-$HOME/.cache/sgidkit/experiment-fashion}"
threads="${SGID_THREADS:-2}"
model="Models/fashion-mnist-ddpm"
# shellcheck source=../Examples/FashionMNIST/settings.env
source Examples/FashionMNIST/settings.env
swift build -c release --product sgid >&2
sgid="$(swift build -c release --show-bin-path)/sgid"
mkdir -p "$work/runs"

if [[ ! -f "$work/data/.complete" ]]; then
    rm -rf "$work/data"
    "$sgid" datasets import fashion-mnist --out "$work/data/train" --range 50000:56000 --per-class 100 --seed 0 >&2
    "$sgid" datasets import fashion-mnist --out "$work/data/validation" --range 56000:60000 >&2
    "$sgid" datasets import fashion-mnist --split test --out "$work/data/test" >&2
    touch "$work/data/.complete"
fi

# precompute STRENGTH GUIDANCE VARIANTS: fills (or reuses) a cache, prints its directory; the minutes spent go to
# $cache/minutes (summed over the runs that generated anything).
precompute() {
    local cache="$work/cache-s$1-g$2-k$3"
    local start end
    start="$(date +%s)"
    "$sgid" precompute "$work/data/train" --cache "$cache" --generator native --model "$model" --variants "$3" --strength "$1" \
        --guidance "$2" --steps "$STEPS" --seed 0 --threads "$threads" --batch 16 >&2
    end="$(date +%s)"
    if [[ ! -f "$cache/minutes" ]]; then awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", (e - s) / 60 }' > "$cache/minutes"; fi
    echo "$cache"
}

# train NAME SEED PIPELINE [CACHE] [EVALUATE...]: one run, its report in $work/runs/NAME-SEED.json (reused when present).
train() {
    local name="$1" seed="$2" pipeline="$3" cache="${4:-}"
    shift 4
    local report="$work/runs/$name-$seed.json"
    if [[ -f "$report" ]]; then return; fi
    local extra=()
    if [[ -n "$cache" ]]; then extra+=(--cache "$cache"); fi
    echo "experiment: $name, seed $seed" >&2
    "$sgid" train "$work/data/train" --pipeline "$pipeline" "${extra[@]}" "$@" --epochs "$EPOCHS" --seed "$seed" \
        --threads "$threads" --quiet --results "$report.partial" >&2
    mv "$report.partial" "$report"
}

crop="random_crop(size=28, padding=2) | hflip"
ra() { echo "tv_randaugment(num_ops=2, magnitude=$1)"; }

if [[ "$mode" == "search" ]]; then
    # Every choice on validation accuracy, 2 seeds per candidate (seeds 100, 101: not the experiment's).
    rows=()
    for magnitude in 1 3 5 9; do
        for seed in 100 101; do train "search-ra-m$magnitude" "$seed" "$crop | $(ra "$magnitude")" "" --validation "$work/data/validation"; done
        rows+=("search-ra-m$magnitude|RandAugment magnitude $magnitude")
    done
    for seed in 100 101; do train "search-base" "$seed" "$crop" "" --validation "$work/data/validation"; done
    rows+=("search-base|base (crop + flip)")
    for strength in 0.3 0.5 0.7; do
        cache="$(precompute "$strength" 2 5)"
        for p in 0.3 0.5 0.7; do
            for seed in 100 101; do
                train "search-sgid-s$strength-p$p" "$seed" "sgid(p=$p) | $crop" "$cache" --validation "$work/data/validation"
            done
            rows+=("search-sgid-s$strength-p$p|SGID strength $strength, p $p (K 5, guidance 2)")
        done
        for threshold in 0.5 0.9; do
            for seed in 100 101; do
                train "search-filter-s$strength-t$threshold" "$seed" "sgid(p=0.5, min_score=$threshold) | $crop" "$cache" \
                    --validation "$work/data/validation"
            done
            rows+=("search-filter-s$strength-t$threshold|SGID strength $strength, p 0.5, min_score $threshold")
        done
    done
    python3 - "$work/runs" "${rows[@]}" > Examples/FashionMNIST/SEARCH.md <<'PY'
import json, statistics, sys
runs, rows = sys.argv[1], sys.argv[2:]
print("# Validation search for the Fashion-MNIST experiment\n")
print("Produced by `bash scripts/experiment-fashion.sh search`: validation accuracy (train[56000:60000], 4,000 images) of")
print("each candidate, mean of seeds 100 and 101, 60 epochs on the 1,000 training images. The test set is not evaluated.\n")
print("| candidate | validation accuracy | seeds |")
print("|---|---|---|")
for row in rows:
    name, label = row.split("|", 1)
    values = [100 * json.load(open(f"{runs}/{name}-{seed}.json"))["validation"]["accuracy"] for seed in (100, 101)]
    print(f"| {label} | {statistics.mean(values):.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
PY
    cat Examples/FashionMNIST/SEARCH.md
    exit 0
fi

seeds="$mode"
cache="$(precompute "$STRENGTH" "$GUIDANCE" "$VARIANTS")"
evaluate=(--validation "$work/data/validation" --test "$work/data/test")
arms=("base|$crop|" "randaugment|$crop | $(ra "$RA_MAGNITUDE")|"
      "sgid|sgid(p=$SGID_P) | $crop|$cache" "sgid+ra|sgid(p=$SGID_P) | $crop | $(ra "$RA_MAGNITUDE")|$cache"
      "sgid+filter|sgid(p=$SGID_P, min_score=$MIN_SCORE) | $crop|$cache"
      "sgid+filter+ra|sgid(p=$SGID_P, min_score=$MIN_SCORE) | $crop | $(ra "$RA_MAGNITUDE")|$cache")
tag="s$STRENGTH-g$GUIDANCE-k$VARIANTS-p$SGID_P-t$MIN_SCORE-m$RA_MAGNITUDE-e$EPOCHS"
for ((seed = 0; seed < seeds; seed++)); do
    for arm in "${arms[@]}"; do
        IFS='|' read -r name pipeline armcache <<< "$arm"
        train "final-$tag-$name" "$seed" "$pipeline" "$armcache" "${evaluate[@]}"
    done
done
consistency="$("$sgid" cache consistency "$work/data/train" --cache "$cache" --scorer "$model/scorer" | tail -n 1)"
python3 - "$work/runs" "$tag" "$seeds" "$(cat "$cache/minutes")" "$consistency" "${arms[@]}" > Examples/FashionMNIST/RESULTS.md <<'PY'
import json, statistics, sys
runs, tag, seeds, minutes, consistency, arms = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6:]
def load(name):
    return [json.load(open(f"{runs}/final-{tag}-{name}-{seed}.json")) for seed in range(seeds)]
def stats(values):
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)
table, summary = [], {}
for arm in arms:
    name, pipeline, _ = arm.split("|")
    reports = load(name)
    test = [100 * r["test"]["accuracy"] for r in reports]
    validation = [100 * r["validation"]["accuracy"] for r in reports]
    seconds = statistics.mean(r["trainSeconds"] for r in reports)
    summary[name] = stats(test)
    table.append((name, pipeline.strip(), stats(test), stats(validation), seconds, test))
print("# SGID on Fashion-MNIST: results\n")
print(f"Command: `bash scripts/experiment-fashion.sh {seeds}` (settings `Examples/FashionMNIST/settings.env`, chosen on the")
print("validation split by `bash scripts/experiment-fashion.sh search`, see SEARCH.md). 1,000 training images (100 per class")
print("from train[50000:56000]), validation train[56000:60000] (4,000), test t10k (10,000); the classifier of `sgid train`")
print(f"(3 convolutions 32/64/128, 94 k parameters, AdamW + one-cycle to 3e-3, batch 64, 60 epochs); {seeds} seeds.\n")
print("| arm | pipeline | test accuracy (mean ± std) | validation | per seed (test) | train time per run |")
print("|---|---|---|---|---|---|")
for name, pipeline, (tm, ts), (vm, vs), seconds, test in table:
    print(f"| {name} | `{pipeline}` | **{tm:.2f} ± {ts:.2f}** | {vm:.2f} ± {vs:.2f} | {', '.join(f'{t:.2f}' for t in test)} | {seconds:.0f} s |")
def gap(a, b, target):
    (am, as_), (bm, bs) = summary[a], summary[b]
    difference, bar = am - bm, 2 * max(as_, bs)
    met = difference >= target and difference > bar
    return f"{a} − {b} = {difference:+.2f} points (target ≥ +{target}, and above 2 × the larger std = {bar:.2f}): {'met' if met else 'NOT met'}"
print("\nTargets (issue 12):\n")
print("- " + gap("sgid+ra", "randaugment", 1.0))
print("- " + gap("sgid", "base", 0.5))
print(f"\nCost: precompute {minutes:.1f} min (native generator, 2 threads, once for every run); training "
      f"{sum(t[4] for t in table) * seeds / 60:.1f} min for all runs.\n")
print("Generations (first shard of the cache, scored by the shipped scorer):\n")
print("| cache | settings | sources | variants | class-consistency rate | mean p(label) | mean pixel distance |")
print("|---|---|---|---|---|---|---|")
print(consistency)
PY
cat Examples/FashionMNIST/RESULTS.md
