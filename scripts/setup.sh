#!/usr/bin/env bash
# Idempotent setup: a .venv in the repo root with the project installed.
# Quick when nothing changed: it reinstalls only when pyproject.toml does.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"   # "test" also installs what the test suite needs
# `make run` with a model configured installs that backend's extra.
case "${ASSISTANT_LLM:-}" in openai|ollama|llamacpp) extras="${extras:-$ASSISTANT_LLM}";; esac
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null || python=python3
"$python" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' || {
    echo "error: Python 3.11 or newer is needed (found $("$python" --version 2>&1))." >&2
    exit 1
}

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv" >&2
    "$python" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
pip() { .venv/bin/python -m pip --disable-pip-version-check "$@"; }

# The CPU build of torch first: a bare requirement would pull a multi-GB CUDA build.
if ! .venv/bin/python -c 'import torch' 2>/dev/null; then
    echo "setup: installing torch (CPU build)" >&2
    pip install --quiet torch==2.13.0
fi

if [[ "$extras" =~ ^(test|llamacpp)$ ]] && ! .venv/bin/python -c 'import llama_cpp' 2>/dev/null; then
    # llama.cpp built for the CPU it is built on segfaults in its AMX kernels on these
    # machines (seen here), and a wheel cached on one machine may run on another: build
    # for plain AVX2, and keep the build out of pip's shared wheel cache. About five
    # minutes on two cores.
    echo "setup: building llama-cpp-python (about 5 minutes)" >&2
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" \
        pip install --quiet --no-cache-dir "llama-cpp-python[server]>=0.3.30,<0.4"
fi

stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)${extras:+-$extras}"
if [ ! -f "$stamp" ]; then
    echo "setup: installing the project${extras:+ with [$extras]}" >&2
    pip install --quiet -e ".${extras:+[$extras]}"
    rm -f .venv/.installed-*
    touch "$stamp"
fi

# Export the embedding model to ONNX and quantize it once (cached in
# ~/.cache/news-assistant), so no command pays for it later.
.venv/bin/python -c 'from assistant.index.embedding import ensure_onnx_model as e; e(); e(precision="int8")'

if [ "$extras" = "test" ] && ! command -v chromium >/dev/null; then
    # The page tests drive Debian's Chromium; Playwright never downloads a browser here.
    echo "setup: installing chromium for the page tests" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
