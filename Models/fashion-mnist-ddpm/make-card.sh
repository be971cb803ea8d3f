#!/usr/bin/env bash
# The figures of MODEL_CARD.md, with the native runtime only (no Python): 20 images per class from train[50000:60000]
# (images neither the generator nor its scorer trained on), K = 4 variants each at strengths 0.3, 0.5, 0.7 and 1.0
# (DDIM, 50-step schedule, guidance 2), then the class-consistency rate, the mean label probability and the mean pixel
# distance per strength, and samples.png (one source per class and its first variant at each strength).
#
# Usage: bash Models/fashion-mnist-ddpm/make-card.sh [WORK_DIR]   (~5 min on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work="${1:-$HOME/.cache/sgidkit/model-card}"
model="Models/fashion-mnist-ddpm"
swift build -c release --product sgid >&2
sgid="$(swift build -c release --show-bin-path)/sgid"
if [[ ! -d "$work/images" ]]; then
    "$sgid" datasets import fashion-mnist --out "$work/images" --range 50000:60000 --per-class 20 --seed 1 >&2
fi
caches=()
for strength in 0.3 0.5 0.7 1.0; do
    start="$(date +%s)"
    "$sgid" precompute "$work/images" --cache "$work/cache-s$strength" --generator native --model "$model" --variants 4 \
        --strength "$strength" --guidance 2 --steps 50 --seed 0 --batch 16 >&2
    echo "strength $strength: $(( $(date +%s) - start )) s" >&2
    caches+=(--cache "cache-s$strength")
done
here="$(pwd)"
cd "$work"
"$sgid" cache consistency images "${caches[@]}" --scorer "$here/$model/scorer" --grid "$here/$model/samples.png" \
    --json "$here/$model/consistency.json" --cell 84
