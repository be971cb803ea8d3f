#!/usr/bin/env bash
# Every benchmark against its peers, one after the other, then one table of ratios: benchmark, ours, peer, ours/peer,
# target, met. Each benchmark script prints its own tables (kept in a log per script) and machine-readable lines
#   RESULT<TAB>benchmark<TAB>ours<TAB>peer<TAB>ratio<TAB>target<TAB>met
# which this script collects. Also reachable as `bash scripts/bench.sh all [ARGS]`.
#
# Usage: scripts/bench-all.sh [--full] [NAME ...]
#   NAME is any of: decode cache augment loader precompute diffusion training (default: all, in that order).
#   By default every script runs with a short setting (minutes in all, and ratios that are only indicative):
#     decode      scripts/bench.sh 2 1                    (ROUNDS, REPEATS)
#     cache       scripts/bench-cache.sh 2 1 100000       (ROUNDS, CYCLES, RECORDS)
#     augment     scripts/bench-augment.sh 2 1            (ROUNDS, REPEATS)
#     loader      scripts/bench-loader.sh 1 1             (ROUNDS, REPEATS)
#     precompute  scripts/bench-precompute.sh 1 12        (REPEATS, COUNT)
#     diffusion   scripts/bench-diffusion.sh 2 1 10       (ROUNDS, REPEATS, precompute STEPS)
#     training    scripts/bench-training.sh 1 5           (SEEDS, EPOCHS: far from the 60-epoch recipe's accuracy)
#   --full runs each with its own defaults (the settings of the results in Benchmarks/README.md; about an hour).
# Environment: whatever the scripts read (SGID_CACHE, SGID_HEAVY_PYTHON, SGID_BENCH_SCRATCH, …), and
#   SGID_BENCH_LOGS     folder for the scripts' full output (default: a new folder under ${TMPDIR:-/tmp}, kept)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

full=0
if [[ "${1:-}" == "--full" ]]; then full=1; shift; fi
all=(decode cache augment loader precompute diffusion training)
selected=("$@")
if ((${#selected[@]} == 0)); then selected=("${all[@]}"); fi

command_of() {
    local short=()
    case "$1" in
        decode) short=(2 1); echo "scripts/bench.sh" ;;
        cache) short=(2 1 100000); echo "scripts/bench-cache.sh" ;;
        augment) short=(2 1); echo "scripts/bench-augment.sh" ;;
        loader) short=(1 1); echo "scripts/bench-loader.sh" ;;
        precompute) short=(1 12); echo "scripts/bench-precompute.sh" ;;
        diffusion) short=(2 1 10); echo "scripts/bench-diffusion.sh" ;;
        training) short=(1 5); echo "scripts/bench-training.sh" ;;
        *) echo "bench-all: unknown benchmark '$1' (one of: ${all[*]})" >&2; return 1 ;;
    esac
    if ((full == 0)); then echo "${short[@]}"; else echo; fi
}
for name in "${selected[@]}"; do command_of "$name" >/dev/null; done

logs="${SGID_BENCH_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/sgid-bench-all.XXXXXX")}"
mkdir -p "$logs"
load_before="$(cut -d' ' -f1 /proc/loadavg)"
results="" failed=""
for name in "${selected[@]}"; do
    { read -r script; read -r settings; } < <(command_of "$name")
    read -r -a arguments <<<"$settings"
    echo "bench-all: $name: bash $script ${arguments[*]} (output in $logs/$name.log)" >&2
    start=$SECONDS
    if bash "$script" "${arguments[@]}" >"$logs/$name.log" 2>&1; then status=0; else status=$?; fi
    lines="$(grep $'^RESULT\t' "$logs/$name.log" || true)"
    echo "bench-all: $name: exit $status after $((SECONDS - start)) s, $(grep -c . <<<"$lines" || true) result lines" >&2
    if ((status != 0)) || [[ -z "$lines" ]]; then
        failed+=" $name"
        lines+="${lines:+$'\n'}RESULT"$'\t'"$name: FAILED (exit $status, see $logs/$name.log)"$'\t-\t-\t-\t-\tno'
    fi
    results+="$lines"$'\n'
done
load_after="$(cut -d' ' -f1 /proc/loadavg)"

echo "| benchmark | ours | peer | ours / peer | target | met? |"
echo "|---|---:|---:|---:|---|---|"
while IFS=$'\t' read -r _ benchmark ours peer ratio target met; do
    [[ -n "$benchmark" ]] || continue
    echo "| $benchmark | $ours | $peer | $ratio | $target | $met |"
done <<<"$results"
echo
if ((full == 0)); then
    echo "Short settings (see scripts/bench-all.sh): the ratios are indicative only; --full for the README's settings."
fi
echo "Full output of every script in $logs. Machine load (1-minute average) before / after: $load_before / $load_after."
if awk -v before="$load_before" 'BEGIN { exit !(before > 1) }'; then
    echo "WARNING: other programs were running; the ratios above are not reliable. Re-run on a quiet machine."
fi
if [[ -n "$failed" ]]; then
    echo "bench-all: failed:$failed" >&2
    exit 1
fi
