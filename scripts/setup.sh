#!/usr/bin/env bash
# Installs what SGIDKit needs on a fresh Debian machine that has the Swift toolchain, idempotently and quickly when
# everything is already present:
#   1. Debian packages: the C libraries the codecs link (libjpeg-turbo, libpng, libwebp, libtiff, zstd, zlib, OpenBLAS),
#      the tools tests call (GNU tar, gzip, zstd, cjpeg for the JPEG subsamplings Pillow cannot write), and the
#      Fashion-MNIST data (dataset-fashion-mnist) of the shipped generator, the demo and the experiment.
#   2. A Python virtual environment with the light peers (Pillow, numpy, webdataset, zstandard, safetensors), kept in a cache folder
#      outside the clone (SGID_CACHE, default ~/.cache/sgidkit) and reused while its requirements file is unchanged.
# Prints the interpreter path as its last line so callers can export SGID_PYTHON. With --system only step 1 runs (what
# the demo and the native generator need: no Python at all).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SGID_CACHE:-$HOME/.cache/sgidkit}"

apt_packages=(pkg-config libjpeg62-turbo-dev libpng-dev libwebp-dev libtiff-dev libzstd-dev zlib1g-dev
              libopenblas-dev libjpeg-turbo-progs tar gzip zstd dataset-fashion-mnist)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [[ "${1:-}" == "--system" ]]; then exit 0; fi

# python3-venv may be absent where Python comes from elsewhere (pyenv); any python3 with the venv module works.
python="${SGID_BOOTSTRAP_PYTHON:-python3}"
requirements="$root/Tests/Peers/requirements-light.txt"
venv="$cache/venv-peers"
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "setup: preparing the peer virtual environment in $venv" >&2
    mkdir -p "$cache"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" >&2
    echo "$wanted" > "$stamp"
fi
echo "$venv/bin/python"
