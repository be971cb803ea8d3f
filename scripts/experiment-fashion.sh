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
#        bash scripts/experiment-fashion.sh search      the validation search that chose settings.env (writes it and
#                                                       SEARCH.md; ~55 min): RandAugment magnitude, strength, p, filter
#                                                       threshold, RandAugment magnitude on top of SGID
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

# best NAME...: the candidate (of run names, without the seed) with the highest mean validation accuracy over the
# search seeds; the search picks each setting that way, stage by stage.
search_seeds=(100 101)
best() {
    python3 - "$work/runs" "${search_seeds[*]}" "$@" <<'PY'
import json, statistics, sys
runs, seeds, names = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
score = lambda name: statistics.mean(json.load(open(f"{runs}/{name}-{seed}.json"))["validation"]["accuracy"] for seed in seeds)
print(max(names, key=score))
PY
}
candidate() {  # candidate NAME PIPELINE [CACHE]: trains NAME on every search seed, validation only
    local seed
    for seed in "${search_seeds[@]}"; do train "$1" "$seed" "$2" "${3:-}" --validation "$work/data/validation"; done
    echo "$1|$2" >> "$work/runs/search-candidates.txt"
}

if [[ "$mode" == "search" ]]; then
    : > "$work/runs/search-candidates.txt"
    # A. RandAugment's magnitude alone (and the base, for reference).
    candidate search-base "$crop"
    names=()
    for m in 1 3 5 9; do candidate "search-ra-m$m" "$crop | $(ra "$m")"; names+=("search-ra-m$m"); done
    ra_best="$(best "${names[@]}")"; ra_magnitude="${ra_best##*-m}"
    # B. SGID's strength (K 5, guidance 2: the reference's) and replacement probability.
    names=()
    for strength in 0.3 0.5 0.7; do
        cache="$(precompute "$strength" 2 5)"
        for p in 0.3 0.5 0.7; do candidate "search-sgid-s$strength-p$p" "sgid(p=$p) | $crop" "$cache"; names+=("search-sgid-s$strength-p$p"); done
    done
    sgid_best="$(best "${names[@]}")"; strength="${sgid_best#search-sgid-s}"; strength="${strength%%-p*}"; p="${sgid_best##*-p}"
    # E. How many variants per image (the first K of one 20-variant cache: a variant's seed does not depend on K) and
    # how often one replaces the original.
    cache="$(precompute "$strength" 2 20)"
    names=("$sgid_best")
    for k in 5 10 20; do
        for q in 0.5 0.7 0.9; do
            candidate "search-k-s$strength-k$k-p$q" "sgid(p=$q, variants=$k) | $crop" "$cache"; names+=("search-k-s$strength-k$k-p$q")
        done
    done
    k_best="$(best "${names[@]}")"
    variants=5
    if [[ "$k_best" == search-k-* ]]; then variants="${k_best##*-k}"; variants="${variants%%-p*}"; p="${k_best##*-p}"; fi
    # F. Class guidance, and a mixture of strengths (variant i at strengths[i mod 3]), at the chosen K and p.
    names=("$k_best")
    for g in 1 4; do
        cache="$(precompute "$strength" "$g" "$variants")"
        candidate "search-g-s$strength-k$variants-p$p-g$g" "sgid(p=$p) | $crop" "$cache"; names+=("search-g-s$strength-k$variants-p$p-g$g")
    done
    mixture="0.3,0.5,0.7"
    cache="$(precompute "$mixture" 2 "$variants")"
    candidate "search-mix-k$variants-p$p-g2" "sgid(p=$p) | $crop" "$cache"; names+=("search-mix-k$variants-p$p-g2")
    f_best="$(best "${names[@]}")"
    guidance=2
    case "$f_best" in
        search-g-*) guidance="${f_best##*-g}" ;;
        search-mix-*) strength="$mixture" ;;
    esac
    cache="$(precompute "$strength" "$guidance" "$variants")"
    tag="s$strength-g$guidance-k$variants-p$p"
    # C. The training-time consistency filter at the chosen generation settings.
    names=()
    for threshold in 0.5 0.9; do
        candidate "search-filter-$tag-t$threshold" "sgid(p=$p, min_score=$threshold) | $crop" "$cache"
        names+=("search-filter-$tag-t$threshold")
    done
    filter_best="$(best "${names[@]}")"; threshold="${filter_best##*-t}"
    # D. RandAugment's magnitude on top of SGID.
    names=()
    for m in 1 3 5 9; do
        candidate "search-sgidra-$tag-m$m" "sgid(p=$p) | $crop | $(ra "$m")" "$cache"; names+=("search-sgidra-$tag-m$m")
    done
    sgidra_best="$(best "${names[@]}")"; sgidra_magnitude="${sgidra_best##*-m}"
    cat > Examples/FashionMNIST/settings.env <<ENV
# SGID's Fashion-MNIST experiment settings, chosen on the validation split by \`bash scripts/experiment-fashion.sh search\`
# (see SEARCH.md); scripts/experiment-fashion.sh reads them. Never chosen on the test set.
EPOCHS=$EPOCHS
STEPS=$STEPS            # DDIM schedule length; a variant runs steps x strength of them
STRENGTH=$strength        # img2img (SDEdit) strength(s): variant i uses the (i mod n)-th
GUIDANCE=$guidance          # classifier-free guidance on the class label
VARIANTS=$variants          # K generations per training image
SGID_P=$p          # probability a training image is replaced by one of its variants
MIN_SCORE=$threshold       # training-time consistency filter: variants scored under it for their label are not used
RA_MAGNITUDE=$ra_magnitude      # torchvision RandAugment(num_ops=2, magnitude=M) of the RandAugment arm
SGIDRA_MAGNITUDE=$sgidra_magnitude  # the same, on top of SGID (the SGID + RandAugment arms)
ENV
    python3 - "$work/runs" "${search_seeds[*]}" "$work/runs/search-candidates.txt" > Examples/FashionMNIST/SEARCH.md <<'PY'
import json, statistics, sys
runs, seeds, candidates = sys.argv[1], sys.argv[2].split(), sys.argv[3]
print("# Validation search for the Fashion-MNIST experiment\n")
print("Produced by `bash scripts/experiment-fashion.sh search`, which also wrote `settings.env` from it. Each candidate trains")
print(f"60 epochs on the 1,000 training images with seeds {' and '.join(seeds)} (not the experiment's) and is scored on the")
print("validation split train[56000:60000] (4,000 images); the test set is never evaluated here. Stages, each keeping the best")
print("mean of the previous: A RandAugment magnitude; B SGID strength × p (K = 5, guidance 2, 25 of 50 DDIM steps at 0.5);")
print("E variants per image K × p (the first K of a 20-variant cache at the chosen strength); F class guidance 1 / 4 and")
print("a mixture of strengths 0.3, 0.5, 0.7 against the best so far; C the training-time filter threshold at the chosen")
print("generation settings; D RandAugment's magnitude on top of SGID.\n")
print("| candidate | pipeline | validation accuracy (mean) | per seed | train time |")
print("|---|---|---|---|---|")
for line in open(candidates):
    name, pipeline = line.rstrip("\n").split("|", 1)
    reports = [json.load(open(f"{runs}/{name}-{seed}.json")) for seed in seeds]
    values = [100 * r["validation"]["accuracy"] for r in reports]
    seconds = statistics.mean(r["trainSeconds"] for r in reports)
    code = pipeline.replace("|", "\\|")  # a table cell: the pipe escaped
    print(f"| {name.removeprefix('search-')} | `{code}` | {statistics.mean(values):.2f} | {', '.join(f'{v:.2f}' for v in values)} | {seconds:.0f} s |")
PY
    {
        echo
        echo "Chosen (written to settings.env; the highest mean, the first listed on a tie): RandAugment magnitude $ra_magnitude"
        echo "alone; SGID strength $strength, guidance $guidance, K $variants, p $p; filter threshold $threshold; RandAugment"
        echo "magnitude $sgidra_magnitude on top of SGID."
    } >> Examples/FashionMNIST/SEARCH.md
    cat Examples/FashionMNIST/settings.env Examples/FashionMNIST/SEARCH.md
    exit 0
fi

seeds="$mode"
cache="$(precompute "$STRENGTH" "$GUIDANCE" "$VARIANTS")"
evaluate=(--validation "$work/data/validation" --test "$work/data/test")
# An arm is NAME@PIPELINE@CACHE ('@': pipelines contain '|').
arms=("base@$crop@" "randaugment@$crop | $(ra "$RA_MAGNITUDE")@"
      "sgid@sgid(p=$SGID_P) | $crop@$cache" "sgid+ra@sgid(p=$SGID_P) | $crop | $(ra "$SGIDRA_MAGNITUDE")@$cache"
      "sgid+filter@sgid(p=$SGID_P, min_score=$MIN_SCORE) | $crop@$cache"
      "sgid+filter+ra@sgid(p=$SGID_P, min_score=$MIN_SCORE) | $crop | $(ra "$SGIDRA_MAGNITUDE")@$cache")
tag="s$STRENGTH-g$GUIDANCE-k$VARIANTS-p$SGID_P-t$MIN_SCORE-m$RA_MAGNITUDE-$SGIDRA_MAGNITUDE-e$EPOCHS"
for ((seed = 0; seed < seeds; seed++)); do
    for arm in "${arms[@]}"; do
        IFS='@' read -r name pipeline armcache <<< "$arm"
        train "final-$tag-$name" "$seed" "$pipeline" "$armcache" "${evaluate[@]}"
    done
done
consistency="$("$sgid" cache consistency "$work/data/train" --cache "$cache" --scorer "$model/scorer" | tail -n 1)"
python3 - "$work" "$tag" "$seeds" "$(cat "$cache/minutes")" "$consistency" "${arms[@]}" > Examples/FashionMNIST/RESULTS.md <<'PY'
import json, statistics, sys
work, tag, seeds, minutes, consistency, arms = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6:]
runs = f"{work}/runs"
def load(name):
    return [json.load(open(f"{runs}/final-{tag}-{name}-{seed}.json")) for seed in range(seeds)]
def stats(values):
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)
table, summary = [], {}
for arm in arms:
    name, pipeline, _ = arm.split("@")
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
    code = pipeline.replace("|", "\\|")  # a table cell: the pipe escaped
    print(f"| {name} | `{code}` | **{tm:.2f} ± {ts:.2f}** | {vm:.2f} ± {vs:.2f} | {', '.join(f'{t:.2f}' for t in test)} | {seconds:.0f} s |")
tests = {name: test for name, _, _, _, _, test in table}
def gap(a, b, target):
    (am, as_), (bm, bs) = summary[a], summary[b]
    difference, bar = am - bm, 2 * max(as_, bs)
    met = difference >= target and difference > bar
    # Paired by seed (a seed fixes the initial weights and the epoch order in every arm), beside the issue's criterion.
    paired = [x - y for x, y in zip(tests[a], tests[b])]
    pm, ps = stats(paired)
    wins = sum(d > 0 for d in paired)
    return (f"{a} − {b} = {difference:+.2f} points (target ≥ +{target}, and above 2 × the larger std = {bar:.2f}): "
            f"{'met' if met else 'NOT met'}; paired by seed {pm:+.2f} ± {ps:.2f}, higher in {wins} of {len(paired)} seeds")
print("\nTargets (issue 12):\n")
print("- " + gap("sgid+ra", "randaugment", 1.0))
print("- " + gap("sgid", "base", 0.5))
print("- " + gap("sgid+filter", "base", 0.5).replace(" (target", " (for reference, target"))
print(f"\nCost: precompute {minutes:.1f} min (native generator, 2 threads, once for every run); training "
      f"{sum(t[4] for t in table) * seeds / 60:.1f} min for all runs.\n")
print("Generations (first shard of the cache, scored by the shipped scorer):\n")
print("| cache | settings | sources | variants | class-consistency rate | mean p(label) | mean pixel distance |")
print("|---|---|---|---|---|---|---|")
print(consistency.replace(work + "/", "$SGID_EXPERIMENT_DIR/"))
print(open("Examples/FashionMNIST/RESULTS-NOTES.md").read().rstrip())
PY
cat Examples/FashionMNIST/RESULTS.md
