#!/usr/bin/env bash
# The demo command: installs prerequisites (Debian packages, the light peers, and the heavy Python environment with
# torch/diffusers/transformers that runs the generator worker), builds the `sgid` tool in release mode and runs
# `sgid demo`: the main job on data it generates itself (shards, SGID precompute on a tiny locally built diffusion
# pipeline, two training epochs, a preview grid), writing its outputs under ./out/demo.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh > /dev/null
SGID_WORKER_PYTHON="$(bash scripts/setup-heavy.sh | tail -n 1)"
export SGID_WORKER_PYTHON
swift build -c release --product sgid
"$(swift build -c release --show-bin-path)/sgid" demo --out "${1:-out/demo}"
