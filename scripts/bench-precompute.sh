#!/usr/bin/env bash
# Precompute benchmark (issue 6): wall time of `sgid precompute` (release build, diffusers worker(s)) against a plain
# single-process Python loop (Benchmarks/peers/plain_precompute.py) that calls the same tiny img2img pipeline and BLIP
# captioner on the same images, in the same order, with the same settings and batch size. Fresh cache / output folder
# every run; best of REPEATS runs per configuration (alternating order). Prints markdown tables and machine-readable
# lines (RESULT<TAB>benchmark<TAB>ours<TAB>peer<TAB>ratio<TAB>target<TAB>met, read by scripts/bench-all.sh); see
# Benchmarks/README.md.
#
# Usage: scripts/bench-precompute.sh [REPEATS [COUNT]]     (defaults 3, 48)
#   COUNT images (Benchmarks/make_precompute_images.py, 3 classes), K=3 variants each, 64x64, 8 steps x strength 0.5,
#   guidance 7.5, batch 4; ours with --workers 1 and --workers 2; the plain loop with 1 torch thread, what each
#   worker uses (SGID_TORCH_THREADS, default 1).
#   SGID_BENCH_PLAIN_THREADS2=1 adds the plain loop with 2 torch threads (slow and erratic on a busy machine: torch's
#   OpenMP threads spin and lose their time slices).
# Environment:
#   SGID_CACHE          cache folder (default ~/.cache/sgidkit); tiny models in $SGID_CACHE/tiny-models, built by
#                       Tests/Peers/make_tiny_models.py when missing
#   SGID_WORKER_PYTHON  Python with the worker's packages (default $SGID_CACHE/venv-heavy/bin/python; scripts/setup-heavy.sh)
#   SGID_BENCH_SCRATCH  optional --scratch-path for swift build (default: the package's .build)
#   SGID_BENCH_SGID     an already built sgid to use instead of building one
#   TMPDIR              where images, caches and worker logs go (default /tmp; a few MB, removed at the end)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

repeats="${1:-3}"
count="${2:-48}"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"
python="${SGID_WORKER_PYTHON:-$cache/venv-heavy/bin/python}"
models="$cache/tiny-models"
settings=(--variants 3 --strength 0.5 --guidance 7.5 --steps 8 --size 64x64 --batch 4 --seed 0)
work="$(mktemp -d "${TMPDIR:-/tmp}/sgid-bench-precompute.XXXXXX")"
trap 'rm -rf "$work"' EXIT
load="$(cut -d' ' -f1-3 /proc/loadavg)"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 SGID_TORCH_THREADS="${SGID_TORCH_THREADS:-1}"

# 1. Build.
if [[ -n "${SGID_BENCH_SGID:-}" ]]; then
    sgid="$SGID_BENCH_SGID"
else
    scratch=()
    if [[ -n "${SGID_BENCH_SCRATCH:-}" ]]; then scratch=(--scratch-path "$SGID_BENCH_SCRATCH"); fi
    swift build -c release --product sgid "${scratch[@]}" >&2
    sgid="$(swift build -c release --show-bin-path "${scratch[@]}")/sgid"
fi

# 2. Tiny models and the image set.
"$python" Tests/Peers/make_tiny_models.py "$models" >&2
"$python" Benchmarks/make_precompute_images.py "$work/images" --count "$count" 2>/dev/null

# The worker runs through this wrapper only to keep its log (per-request times) and CPU time for the analysis.
cat > "$work/python" <<EOF
#!/usr/bin/env bash
exec /usr/bin/time -f "%U %S" -o "\$SGID_BENCH_WORKER_LOG/cpu-\$\$.txt" "$python" "\$@" 2>>"\$SGID_BENCH_WORKER_LOG/worker-\$\$.log"
EOF
chmod +x "$work/python"

now() { date +%s.%N; }
results="$work/results.tsv"

# ours WORKERS ROUND: one `sgid precompute` run into a fresh cache.
ours() {
    local workers="$1" round="$2" logs="$work/logs-w$1-r$2" start ready="" end seconds="" generated=""
    rm -rf "$work/cache-w$workers" && mkdir -p "$logs"
    start="$(now)"
    while IFS= read -r line; do
        case "$line" in
            fingerprint*) ready="$(now)" ;;
            done:*) seconds="$(sed -E 's/.*failed, ([0-9.]+) s.*/\1/' <<<"$line")"
                    generated="$(sed -E 's/.* seen, ([0-9]+) generated.*/\1/' <<<"$line")" ;;
        esac
    done < <(SGID_BENCH_WORKER_LOG="$logs" /usr/bin/time -f "%U %S" -o "$logs/cpu-total.txt" "$sgid" precompute "$work/images" --cache "$work/cache-w$workers" "${settings[@]}" \
                 --workers "$workers" --model "$models/sd" --captioner "$models/blip" --python "$work/python" \
                 --worker-script Workers/diffusers/sgid_worker.py 2>&1)
    end="$(now)"
    if [[ "$generated" != "$count" || -z "$ready" ]]; then echo "sgid precompute failed (workers $workers)" >&2; exit 1; fi
    printf 'ours-w%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$workers" "$round" "$start" "$ready" "$end" "$seconds" "$logs" >> "$results"
}

# plain THREADS ROUND: one run of the plain loop into a fresh folder.
plain() {
    local threads="$1" round="$2" start end json
    rm -rf "$work/plain-t$threads"
    start="$(now)"
    json="$("$python" Benchmarks/peers/plain_precompute.py "$work/images" --model "$models/sd" --captioner "$models/blip" \
                --out "$work/plain-t$threads" "${settings[@]}" --threads "$threads" 2>/dev/null | tail -1)"
    end="$(now)"
    printf 'plain-t%s\t%s\t%s\t-\t%s\t-\t%s\n' "$threads" "$round" "$start" "$end" "$json" >> "$results"
}

# 3. Runs, alternating the order round by round.
configurations=("plain 1" "ours 1" "ours 2")
if [[ -n "${SGID_BENCH_PLAIN_THREADS2:-}" ]]; then configurations+=("plain 2"); fi
for round in $(seq 1 "$repeats"); do
    echo "round $round of $repeats…" >&2
    order=("${configurations[@]}")
    if (( round % 2 == 0 )); then order=(); for ((i = ${#configurations[@]} - 1; i >= 0; i--)); do order+=("${configurations[i]}"); done; fi
    for configuration in "${order[@]}"; do $configuration "$round"; done
done

# 4. Same work? The last runs' outputs: every cached variant (exported as PNG) against the plain loop's arrays.
for workers in 1 2; do "$sgid" cache export "$work/cache-w$workers" --out "$work/export-w$workers" >/dev/null; done
"$python" - "$work" <<'PY' >&2
import glob, os, sys
import numpy as np
from PIL import Image

work = sys.argv[1]


def exported(key):
    """`sgid cache export`'s file stem of a key (SafeFileName.escape: bytes other than [0-9A-Za-z_-] and a leading
    dot percent-encoded; the keys here are short, so never hashed)."""
    plain = lambda i, b: chr(b).isascii() and (chr(b).isalnum() or chr(b) in "_-" or (chr(b) == "." and i > 0))
    return "".join(chr(b) if plain(i, b) else "%%%02X" % b for i, b in enumerate(key.encode()))


for workers in (1, 2):
    same = differ = 0
    for path in sorted(glob.glob(f"{work}/plain-t1/*.npy")):
        plain = np.load(path)
        # The plain loop names its file key.replace("/", "__") (no key of this image set holds "__").
        stem = f"{work}/export-w{workers}/" + exported(os.path.basename(path)[:-4].replace("__", "/"))
        ours = np.stack([np.asarray(Image.open(f"{stem}-v{i}.png").convert("RGB")) for i in range(len(plain))])
        same, differ = (same + 1, differ) if np.array_equal(plain, ours) else (same, differ + 1)
    print(f"outputs, --workers {workers} vs the plain loop: {same} images' variants identical, {differ} differ")
    if differ or not same:
        sys.exit("the runs did not do the same work")
PY

# 5. Tables.
"$python" - "$results" "$count" <<'EOF'
import glob, json, re, sys

rows = {}
for line in open(sys.argv[1]):
    name, round_, start, ready, end, seconds, extra = line.rstrip("\n").split("\t")
    run = {"round": int(round_), "wall": float(end) - float(start)}
    if name.startswith("ours"):
        run["startup"] = float(ready) - float(start)
        run["run"] = float(seconds)
        run["shutdown"] = run["wall"] - run["startup"] - run["run"]
        busy = {"caption": 0.0, "generate": 0.0}
        requests = {"caption": 0, "generate": 0}
        for path in glob.glob(extra + "/worker-*.log"):
            for match in re.finditer(r"INFO (caption|generate) \d+: \d+ items in ([0-9.]+)s", open(path).read()):
                busy[match.group(1)] += float(match.group(2))
                requests[match.group(1)] += 1
        run["busy"], run["requests"] = busy, requests
        cpu = lambda path: sum(float(x) for x in open(path).read().split()[-2:])
        run["workers_cpu"] = sum(cpu(path) for path in glob.glob(extra + "/cpu-[0-9]*.txt"))
        run["sgid_cpu"] = cpu(extra + "/cpu-total.txt") - run["workers_cpu"]
    else:
        stats = json.loads(extra)
        run.update(stats)
        run["startup"] = run["wall"] - stats["loop_s"]
        run["run"] = stats["loop_s"]
    rows.setdefault(name, []).append(run)

count = int(sys.argv[2])
best = {name: min(runs, key=lambda r: r["wall"]) for name, runs in rows.items()}
plain = best["plain-t1"]
labels = {"plain-t1": "plain Python loop, 1 torch thread", "plain-t2": "plain Python loop, 2 torch threads",
          "ours-w1": "`sgid precompute --workers 1`", "ours-w2": "`sgid precompute --workers 2`"}
print("| run | wall s (best of %d) | images/s | ours / plain (wall) | start-up + exit s | loop s | ours / plain (loop) |"
      % len(rows["plain-t1"]))
print("|---|---:|---:|---:|---:|---:|---:|")
for name in [n for n in ("plain-t1", "plain-t2", "ours-w1", "ours-w2") if n in best]:
    run = best[name]
    print("| %s | %.2f | %.2f | %.3f | %.2f | %.2f | %.3f |" % (
        labels[name], run["wall"], count / run["wall"], run["wall"] / plain["wall"],
        run["wall"] - run["run"], run["run"], run["run"] / plain["run"]))
print()
print("All runs (wall s): " + "; ".join("%s %s" % (name, ", ".join("%.2f" % r["wall"] for r in sorted(runs, key=lambda r: r["round"])))
                                      for name, runs in sorted(rows.items())))
print()
print("| where the time goes (best run) | start-up s | loop s | exit s | caption s | generate s | worker idle in loop s | CPU s: sgid process / Python |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name in [n for n in ("plain-t1", "plain-t2") if n in best]:
    run = best[name]
    print("| %s | %.2f (import %.2f, load %.2f) | %.2f | %.2f | %.2f | %.2f | - | - / %.2f |" % (
        labels[name], run["import_s"] + run["load_s"], run["import_s"], run["load_s"], run["loop_s"],
        run["wall"] - run["loop_s"] - run["import_s"] - run["load_s"], run["caption_s"], run["generate_s"], run["cpu_s"]))
for name, target in (("ours-w1", 1.10), ("ours-w2", 1.0)):
    if name in best:
        ratio = best[name]["wall"] / plain["wall"]
        print("RESULT\t%s wall vs plain Python loop\t%.2f s\t%.2f s\t%.2fx\t<= %.2fx\t%s" % (
            labels[name].strip("`"), best[name]["wall"], plain["wall"], ratio, target, "yes" if ratio <= target else "no"))
for name, workers in (("ours-w1", 1), ("ours-w2", 2)):
    run = best[name]
    idle = workers * run["run"] - run["busy"]["caption"] - run["busy"]["generate"]
    print("| %s | %.2f | %.2f | %.2f | %.2f (%d requests) | %.2f (%d requests) | %.3f (%.1f%% of %d × loop) | %.2f / %.2f |" % (
        labels[name], run["startup"], run["run"], run["shutdown"], run["busy"]["caption"], run["requests"]["caption"],
        run["busy"]["generate"], run["requests"]["generate"], idle, 100 * idle / (workers * run["run"]), workers,
        run["sgid_cpu"], run["workers_cpu"]))
EOF
echo
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs; $(uname -sr);" \
     "$("$python" -c 'import torch, diffusers, transformers; print(f"torch {torch.__version__}, diffusers {diffusers.__version__}, transformers {transformers.__version__}")');" \
     "load average before the runs: $load, after: $(cut -d' ' -f1-3 /proc/loadavg)."
