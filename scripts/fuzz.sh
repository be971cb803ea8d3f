#!/usr/bin/env bash
# Longer fuzzing on demand: reruns the mutation tests of the tar reader (read plainly and resynchronising), the
# damaged-shard property of the WebDataset reader (single flipped bytes and cuts, skip/warn resynchronisation), every
# image decoder, safetensors, IDX and the cache writer's recovery (damaged records + damaged index) with many more inputs
# than the test command's quick pass. Usage: scripts/fuzz.sh [ITERATIONS] (default 200000 each; the recovery test takes
# about 25 ms per case).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SGID_PYTHON="$(bash scripts/setup.sh | tail -n 1)"
export SGID_PYTHON
export SGID_FUZZ_ITERATIONS="${1:-200000}"
swift build --build-tests
swift test --skip-build --filter 'Fuzz|BadInput|Mutation|mutation|recoveryNeverDeletes'
