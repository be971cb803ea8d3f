#!/usr/bin/env bash
# The test command: installs prerequisites (scripts/setup.sh), builds with warnings treated as errors, then runs every
# test (Swift unit tests plus the live parity checks against Pillow, Python tarfile and GNU tar that they drive).
# Extra arguments go to `swift test` (e.g. --filter TarTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
SGID_PYTHON="$(bash scripts/setup.sh | tail -n 1)"
export SGID_PYTHON
echo "test: peers from $SGID_PYTHON ($("$SGID_PYTHON" -c 'import PIL; print("Pillow", PIL.__version__)'))"
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build "$@"
