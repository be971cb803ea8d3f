#!/usr/bin/env bash
# The test command: installs prerequisites (scripts/setup.sh: Debian packages and the light peers; scripts/setup-heavy.sh:
# torch/diffusers/transformers for the generator worker, cached outside the clone), builds with warnings treated as
# errors, then runs every test: Swift unit tests plus the live parity checks they drive against Pillow, webdataset,
# Python tarfile and GNU tar, and the SGID tests on tiny, locally built diffusion/BLIP/CLIP models (CPU).
# Extra arguments go to `swift test` (e.g. --filter TarTests). Without arguments, the pixel-operation, loader and codec
# suites run a second time with the AVX2 kernels turned off (SGID_DISABLE_VECTOR_KERNELS=1), so the portable Swift
# loops stay checked against the live peers on this AVX2 machine too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
SGID_PYTHON="$(bash scripts/setup.sh | tail -n 1)"
SGID_WORKER_PYTHON="$(bash scripts/setup-heavy.sh | tail -n 1)"
export SGID_PYTHON SGID_WORKER_PYTHON HF_HUB_OFFLINE=1
echo "test: peers from $SGID_PYTHON ($("$SGID_PYTHON" -c 'import PIL; print("Pillow", PIL.__version__)'))"
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build "$@"
if [[ $# -eq 0 ]]; then
    echo "test: again with the vector kernels off (the Swift loops)"
    SGID_DISABLE_VECTOR_KERNELS=1 swift test --skip-build --filter 'AugmentTests|LoaderTests|ImageCodecTests'
fi
