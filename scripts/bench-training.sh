#!/usr/bin/env bash
# The Swift trainer against its PyTorch twin (issue 12, item 4): the same network (3 convolutions 32/64/128, max
# pooling, global average pooling, dropout 0.3, linear), the same recipe (AdamW wd 5e-4, OneCycleLR to 3e-3, batch 64,
# RandomCrop(28, padding=2) + horizontal flip, 60 epochs) on the same Fashion-MNIST images: 100 per class from
# train[50000:60000], tested on the 10,000 test images. Prints each run's test accuracy and training time, then the
# mean ± std of both and the gap (target: within 1 point) and the speed ratio, then machine-readable lines
# (RESULT<TAB>benchmark<TAB>ours<TAB>peer<TAB>ratio<TAB>target<TAB>met, read by scripts/bench-all.sh).
#
# Usage: scripts/bench-training.sh [SEEDS [EPOCHS]]   (default 3 seeds, 60 epochs; ~1 min per Swift run, ~1.5 min per
#        PyTorch run on 2 cores)
# Environment: SGID_HEAVY_PYTHON, SGID_BENCH_THREADS (default 2), SGID_BENCH_DATA (default ~/.cache/sgidkit/bench-training).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seeds="${1:-3}"
epochs="${2:-60}"
threads="${SGID_BENCH_THREADS:-2}"
data="${SGID_BENCH_DATA:-$HOME/.cache/sgidkit/bench-training}"
python="${SGID_HEAVY_PYTHON:-$(bash scripts/setup-heavy.sh | tail -n 1)}"
swift build -c release --product sgid >&2
sgid="$(swift build -c release --show-bin-path)/sgid"
if [[ ! -f "$data/.complete" ]]; then
    rm -rf "$data"
    "$sgid" datasets import fashion-mnist --out "$data/train" --range 50000:60000 --per-class 100 --seed 0 >&2
    "$sgid" datasets import fashion-mnist --split test --out "$data/test" >&2
    touch "$data/.complete"
fi
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for ((seed = 0; seed < seeds; seed++)); do
    echo "bench-training: seed $seed" >&2
    "$sgid" train "$data/train" --test "$data/test" --pipeline "random_crop(size=28, padding=2) | hflip" --epochs "$epochs" \
        --seed "$seed" --threads "$threads" --quiet --results "$results.swift.json" >&2
    python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps({'side':'swift','seed':$seed,'test_accuracy':r['test']['accuracy'],'seconds':r['trainSeconds']}))" "$results.swift.json" >> "$results"
    "$python" Tests/Peers/classifier_twin.py train "$data/train" "$data/test" --epochs "$epochs" --seed "$seed" --threads "$threads" \
        | python3 -c "import json,sys; r=json.loads(sys.stdin.read()); r['side']='pytorch'; print(json.dumps(r))" >> "$results"
done
rm -f "$results.swift.json"
python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def summary(side):
    acc = [100 * r["test_accuracy"] for r in rows if r["side"] == side]
    sec = [r["seconds"] for r in rows if r["side"] == side]
    std = statistics.stdev(acc) if len(acc) > 1 else 0.0
    return statistics.mean(acc), std, statistics.mean(sec), acc
swift, torch = summary("swift"), summary("pytorch")
print("| trainer | test accuracy (mean ± std) | runs | train time per run |")
print("|---|---|---|---|")
print(f"| SGIDKit (Swift) | {swift[0]:.2f} ± {swift[1]:.2f} | {', '.join(f'{a:.2f}' for a in swift[3])} | {swift[2]:.1f} s |")
print(f"| PyTorch twin | {torch[0]:.2f} ± {torch[1]:.2f} | {', '.join(f'{a:.2f}' for a in torch[3])} | {torch[2]:.1f} s |")
gap = swift[0] - torch[0]
print(f"\ngap {gap:+.2f} points (target: within 1 point: {'met' if abs(gap) <= 1 else 'NOT met'}); "
      f"Swift trains {torch[2] / swift[2]:.2f}x as fast")
print(f"RESULT\ttraining test accuracy vs PyTorch twin (gap {gap:+.2f} points)\t{swift[0]:.2f}%\t{torch[0]:.2f}%\t"
      f"{swift[0] / torch[0]:.3f}x\tgap within 1 point\t{'yes' if abs(gap) <= 1 else 'no'}")
print(f"RESULT\ttraining time per run vs PyTorch twin\t{swift[2]:.1f} s\t{torch[2]:.1f} s\t{swift[2] / torch[2]:.2f}x\t"
      f"(none)\t-")
PY
