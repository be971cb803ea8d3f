#!/usr/bin/env bash
# Trains the shipped generator's consistency scorer (Models/fashion-mnist-ddpm/scorer/) with the Swift trainer, on the
# generator's own split only: Fashion-MNIST train[0:50000] (never the classifier pool train[50000:60000]). The scorer
# gives each generated variant the probability of its label: the native `--min-score` filter and `--guidance-range`.
# Its test accuracy on t10k is reported in MODEL_CARD.md (nothing is tuned on it). No Python.
#
# Usage: bash Models/fashion-mnist-ddpm/train-scorer.sh [WORK_DIR]   (~10 min on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work="${1:-$HOME/.cache/sgidkit/scorer-training}"
model="Models/fashion-mnist-ddpm"
swift build -c release --product sgid >&2
sgid="$(swift build -c release --show-bin-path)/sgid"
if [[ ! -f "$work/.imported" ]]; then
    rm -rf "$work"
    "$sgid" datasets import fashion-mnist --out "$work/generator-split" --range 0:50000 --format shards
    "$sgid" datasets import fashion-mnist --split test --out "$work/test" --format shards
    touch "$work/.imported"
fi
rm -rf "$model/scorer"
"$sgid" train "$work/generator-split/shard-{000000..000049}.tar" --test "$work/test/shard-{000000..000009}.tar" \
    --pipeline "random_crop(size=28, padding=2) | hflip" --epochs 20 --batch-size 128 --max-lr 4e-3 --dropout 0.3 \
    --seed 0 --out "$model/scorer" --results "$model/scorer-training.json"
