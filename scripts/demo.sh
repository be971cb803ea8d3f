#!/usr/bin/env bash
# The demo command: installs prerequisites, builds the `sgid` tool in release mode and runs `sgid demo`, which works
# on small data it generates itself and writes its outputs under ./out/demo.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh > /dev/null
swift build -c release --product sgid
"$(swift build -c release --show-bin-path)/sgid" demo --out "${1:-out/demo}"
