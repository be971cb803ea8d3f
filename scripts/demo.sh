#!/usr/bin/env bash
# The demo: SGID end to end on a CPU with no Python. Installs only the Debian packages (codecs, OpenBLAS,
# dataset-fashion-mnist), builds the `sgid` tool in release mode and runs `sgid demo`: 20 Fashion-MNIST training images
# per class → an SGID cache from the shipped native generator (Models/fashion-mnist-ddpm) → the Swift classifier
# trained with RandAugment and with SGID + RandAugment → both test accuracies, out/demo/grid.png and results.json.
# A second run reuses the cache. Extra arguments go to `sgid demo` (e.g. --out DIR, --per-class N).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --system
swift build -c release --product sgid
"$(swift build -c release --show-bin-path)/sgid" demo "$@"
