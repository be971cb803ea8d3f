#!/usr/bin/env bash
# Augmentation benchmark (issue 4, item 8): SGIDKit's Pillow-exact operations vs Pillow, and RandAugment
# rand-m9-n2-mstd0.5 vs timm's PIL implementation, one thread, same decoded images. Prints a markdown table (img/s of
# each, ratio, whether the outputs are byte-identical) and machine-readable lines for the slowest operation and
# RandAugment (RESULT<TAB>benchmark<TAB>ours<TAB>peer<TAB>ratio<TAB>target<TAB>met, read by scripts/bench-all.sh); see
# Benchmarks/README.md ("Augmentation operations").
#
# Usage: scripts/bench-augment.sh [ROUNDS [REPEATS]]
#   Each program passes over the set ROUNDS times per operation (default 5) and is started REPEATS times (default 3),
#   alternating with its peer; the fastest pass counts.
# Environment:
#   SGID_CACHE          cache folder (default ~/.cache/sgidkit); crops go to $SGID_CACHE/augment-bench-images
#   SGID_PYTHON         Python with Pillow, torchvision and timm (default $SGID_CACHE/venv-heavy/bin/python,
#                       made by scripts/setup-heavy.sh)
#   SGID_BENCH_SCRATCH  optional --scratch-path for swift build (default: the package's .build)
#   SGID_BENCH_CPU      CPU to pin every program to with taskset (default 0; empty = no pinning)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rounds="${1:-5}"
repeats="${2:-3}"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"
python="${SGID_PYTHON:-$cache/venv-heavy/bin/python}"
sources="$cache/bench-images"
images="$cache/augment-bench-images"
cpu="${SGID_BENCH_CPU-0}"
scratch=()
if [[ -n "${SGID_BENCH_SCRATCH:-}" ]]; then scratch=(--scratch-path "$SGID_BENCH_SCRATCH"); fi

if ! "$python" -c 'import PIL, numpy, torchvision, timm' 2>/dev/null; then
    echo "bench-augment.sh: $python lacks Pillow/numpy/torchvision/timm; run scripts/setup-heavy.sh or set SGID_PYTHON" >&2
    exit 1
fi

# 1. Build.
swift build -c release --product AugmentBenchmark "${scratch[@]}" >&2
bin="$(swift build -c release --show-bin-path "${scratch[@]}")"

# 2. The 50 crops (25 of 500x375, 25 of 224x224) of the decode benchmark's photographs, made by bench.sh's generator.
stamp="$(cat Benchmarks/make_bench_images.py Benchmarks/peers/pillow_ops.py | sha256sum | cut -c1-16)"
if [[ "$(cat "$images/.generator" 2>/dev/null)" != "$stamp" ]] \
    || [[ "$(find "$images" -name 'aug_*.png' 2>/dev/null | wc -l)" -ne 50 ]]; then
    if [[ "$(find "$sources" -name 'bench_*.jpg' 2>/dev/null | wc -l)" -ne 200 ]]; then
        echo "bench-augment.sh: no photographs in $sources; run scripts/bench.sh once first" >&2
        exit 1
    fi
    rm -rf "$images"
    "$python" Benchmarks/peers/pillow_ops.py make-set "$sources" "$images"
    echo "$stamp" > "$images/.generator"
fi
files=("$images"/aug_*.png)

# 3. Run ours and the peers on one core, alternating which goes first.
pin=()
if [[ -n "$cpu" ]] && command -v taskset >/dev/null; then pin=(taskset -c "$cpu"); fi
ours_out="" peer_out=""
run_ours() { "${pin[@]}" "$bin/AugmentBenchmark" --rounds "$rounds" "${files[@]}"; }
run_peers() {
    "${pin[@]}" "$python" Benchmarks/peers/pillow_ops.py run --rounds "$rounds" "${files[@]}"
    "${pin[@]}" "$python" Benchmarks/peers/timm_randaugment.py --rounds "$rounds" "${files[@]}"
}
for ((run = 0; run < repeats; run++)); do
    if ((run % 2 == 0)); then
        peer_out+="$(run_peers)"$'\n'
        ours_out+="$(run_ours)"$'\n'
    else
        ours_out+="$(run_ours)"$'\n'
        peer_out+="$(run_peers)"$'\n'
    fi
done

# 4. The table. Every program prints lines: op=NAME images=N best_s=S img_per_s=R checksum=C
best_rate() { grep "^op=$1 " | sed -n 's/.*img_per_s=\([^ ]*\).*/\1/p' | sort -g | tail -n 1; }
checksum_of() { grep "^op=$1 " | sed -n 's/.*checksum=\([^ ]*\).*/\1/p' | sort -u; }
count_of() { grep "^op=$1 " | sed -n 's/.*images=\([^ ]*\).*/\1/p' | head -n 1; }
label() {
    case "$1" in
        rotate30_bilinear) echo "rotate 30°, bilinear, fill" ;;
        shearx0.3_bicubic) echo "shear x 0.3, bicubic, fill" ;;
        translatex40_bilinear) echo "translate x 40 px, bilinear, fill" ;;
        autocontrast) echo "autocontrast" ;;
        equalize) echo "equalize" ;;
        invert) echo "invert" ;;
        posterize4) echo "posterize 4 bits" ;;
        solarize128) echo "solarize 128" ;;
        solarize_add100) echo "solarize_add +100 below 128 (timm)" ;;
        color1.5) echo "color 1.5" ;;
        contrast1.5) echo "contrast 1.5" ;;
        brightness1.5) echo "brightness 1.5" ;;
        sharpness1.5) echo "sharpness 1.5" ;;
        grayscale) echo "grayscale (L)" ;;
        gaussian_blur_k5_s1.5) echo "gaussian blur k5 σ1.5 (peer: torchvision F.gaussian_blur on PIL)" ;;
        resize224_bilinear) echo "resize 500×375 → 224×224, bilinear" ;;
        resize224_bicubic) echo "resize 500×375 → 224×224, bicubic" ;;
        hflip) echo "hflip" ;;
        *) echo "$1" ;;
    esac
}
echo "| operation | images | ours (img/s) | Pillow (img/s) | ours / Pillow | output |"
echo "|---|---:|---:|---:|---:|---|"
status=0 below="" worst=""
ops="$(grep '^op=' <<<"$ours_out" | sed -n 's/^op=\([^ ]*\) images=.*/\1/p' | grep -v '^randaugment$' | awk '!seen[$0]++')"
for op in $ops; do
    ours="$(best_rate "$op" <<<"$ours_out")"
    peer="$(best_rate "$op" <<<"$peer_out")"
    if [[ "$(checksum_of "$op" <<<"$ours_out$peer_out" | wc -l)" -eq 1 ]]; then
        output="identical"
    else
        output="DIFFERENT"
        echo "bench-augment.sh: $op: output bytes differ from the peer's" >&2
        status=1
    fi
    awk -v l="$(label "$op")" -v n="$(count_of "$op" <<<"$ours_out")" -v o="$ours" -v p="$peer" -v out="$output" \
        'BEGIN { printf "| %s | %d | %.0f | %.0f | %.2f× | %s |\n", l, n, o, p, o / p, out }'
    if awk -v o="$ours" -v p="$peer" 'BEGIN { exit !(o < p) }'; then below+=" $op"; fi
    # The operation where ours/Pillow is lowest: name, ours, Pillow.
    if [[ -z "$worst" ]] || awk -v o="$ours" -v p="$peer" -v w="$worst" \
            'BEGIN { split(w, f, " "); exit !(o / p < f[2] / f[3]) }'; then
        worst="$op $ours $peer"
    fi
done
# Pillow's own GaussianBlur (extended box blur, different output) against ours, for reference.
ours_blur="$(best_rate 'gaussian_blur_k5_s1.5' <<<"$ours_out")"
pillow_blur="$(best_rate 'pillow_gaussian_blur_r1.5' <<<"$peer_out")"
if [[ -n "$ours_blur" && -n "$pillow_blur" ]]; then
    awk -v o="$ours_blur" -v p="$pillow_blur" -v n="$(count_of 'pillow_gaussian_blur_r1.5' <<<"$peer_out")" \
        'BEGIN { printf "| (reference) ours gaussian blur k5 σ1.5 vs Pillow ImageFilter.GaussianBlur(1.5) | %d | %.0f | %.0f | %.2f× | not comparable |\n", n, o, p, o / p }'
fi
echo
timm="$(best_rate randaugment <<<"$peer_out")"
ra_status="met"
echo "| pipeline | augmentations per pass | ours (img/s) | timm PIL (img/s) | ours / timm |"
echo "|---|---:|---:|---:|---:|"
if grep -q '^op=randaugment images=' <<<"$ours_out"; then
    ours_ra="$(best_rate randaugment <<<"$ours_out")"
    awk -v o="$ours_ra" -v p="$timm" -v n="$(count_of randaugment <<<"$ours_out")" \
        'BEGIN { printf "| RandAugment rand-m9-n2-mstd0.5 | %d | %.0f | %.0f | %.2f× |\n", n, o, p, o / p }'
    if awk -v o="$ours_ra" -v p="$timm" 'BEGIN { exit !(o < 3 * p) }'; then ra_status="NOT met"; fi
else
    reason="$(grep '^op=randaugment pending=' <<<"$ours_out" | head -n 1 | cut -c1-160)"
    awk -v p="$timm" -v n="$(count_of randaugment <<<"$peer_out")" \
        'BEGIN { printf "| RandAugment rand-m9-n2-mstd0.5 | %d | pending | %.0f | – |\n", n, p }'
    echo "bench-augment.sh: our RandAugment is not available yet: $reason" >&2
    ra_status="pending"
fi
pinned="${pin[*]}"
echo
echo "${#files[@]} RGB PNG crops (25 of 500×375, 25 of 224×224) of the decode benchmark's photographs, decoded into memory" \
     "by both sides; one thread${pinned:+ ($pinned)}; best of $repeats runs × $rounds passes per program and operation;" \
     "fill (124, 116, 104). RandAugment: every image 4× per pass (200 augmentations); ours randaugment(config=rand-m9-n2-mstd0.5, fill=124;116;104), timm rand_augment_transform('rand-m9-n2-mstd0.5', hparams=dict(img_mean=(124, 116, 104))) on PIL images."
if [[ -n "$below" ]]; then
    echo "Target ours ≥ Pillow for every operation: NOT met for$below."
else
    echo "Target ours ≥ Pillow for every operation: met."
fi
echo "Target RandAugment ≥ 3× timm per core: $ra_status."
read -r worst_op worst_ours worst_peer <<<"$worst"
awk -v l="$worst_op" -v o="$worst_ours" -v p="$worst_peer" -v met="$([[ -z "$below" ]] && echo yes || echo no)" \
    'BEGIN { printf "RESULT\taugment ops vs Pillow (slowest: %s)\t%.0f img/s\t%.0f img/s\t%.2fx\t>= 1x\t%s\n", l, o, p, o / p, met }'
if [[ "$ra_status" != "pending" ]]; then
    awk -v o="$ours_ra" -v p="$timm" -v met="$([[ "$ra_status" == "met" ]] && echo yes || echo no)" \
        'BEGIN { printf "RESULT\tRandAugment vs timm (PIL)\t%.0f img/s\t%.0f img/s\t%.2fx\t>= 3x\t%s\n", o, p, o / p, met }'
fi
exit "$status"
