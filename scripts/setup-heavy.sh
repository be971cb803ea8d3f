#!/usr/bin/env bash
# Prepares the heavy Python environment: the diffusers generator worker (Workers/diffusers/requirements.txt: torch,
# diffusers, transformers) that the SGID tests and the demo run, and the loader benchmark's peers
# (Benchmarks/requirements-heavy.txt: torchvision, webdataset, NVIDIA DALI used CPU-only, the image-set generator's packages). It lives in the cache folder outside the clone
# (${SGID_CACHE:-~/.cache/sgidkit}/venv-heavy) and is reused while the requirements file is unchanged; expect several GB
# on the first run (torch from PyPI brings CUDA libraries). Prints the interpreter path as its last line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"

# python3-venv may be absent where Python comes from elsewhere (pyenv); any python3 with the venv module works.
python="${SGID_BOOTSTRAP_PYTHON:-python3}"
requirements=("$root/Workers/diffusers/requirements.txt" "$root/Benchmarks/requirements-heavy.txt")
venv="$cache/venv-heavy"
stamp="$venv/.requirements.sha256"
wanted="$(cat "${requirements[@]}" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "setup-heavy: preparing the heavy peer virtual environment in $venv (several GB on the first run)" >&2
    mkdir -p "$cache"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "${requirements[0]}" -r "${requirements[1]}" >&2
    echo "$wanted" > "$stamp"
fi
echo "$venv/bin/python"
