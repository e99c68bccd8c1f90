#!/usr/bin/env bash
# Install the pinned OpenMMLab stack (requirements/stack.txt) + mmwsss into a
# virtualenv (default .venv/ in the repo root). Used by `make install`.
#
# mmcv 2.1.0 exists on PyPI only as source. Building it with its ops takes
# ~15 min on 2 CPU cores (ninja, 2 jobs), so the built wheel is cached OUTSIDE
# the checkout in
#   ${XDG_CACHE_HOME:-$HOME/.cache}/mmwsss/wheels/mmcv-<ver>-torch-<ver>/
# and reused by every later install on the machine.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tools/install/lib.sh
source "$here/tools/install/lib.sh"  # absolute_path, pip_q
# the build below runs pip from inside the unpacked mmcv source tree, so a
# relative VENV (make passes `.venv`) must be made absolute first
VENV=$(absolute_path "${VENV:-$here/.venv}")
BASE_PY=${BASE_PYTHON:-python3.11}
MMCV_VERSION=2.1.0
TORCH_VERSION=$(sed -n 's/^torch==//p' "$here/requirements/stack.txt")
CACHE_ROOT=${XDG_CACHE_HOME:-$HOME/.cache}/mmwsss/wheels
CACHE=$CACHE_ROOT/mmcv-${MMCV_VERSION}-torch-${TORCH_VERSION}

log() { echo "[install $(date +%H:%M:%S)] $*"; }
t0=$(date +%s)

command -v "$BASE_PY" >/dev/null || BASE_PY=python3
if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV with $($BASE_PY --version)"
  "$BASE_PY" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

log "step 1/4: torch ${TORCH_VERSION}, numpy, build tools (local wheels: ~3 min the first time)"
pip_q -r "$here/requirements/build.txt" \
  "torch==${TORCH_VERSION}" "$(grep '^torchvision==' "$here/requirements/stack.txt")" \
  "$(grep '^numpy==' "$here/requirements/stack.txt")" \
  "$(grep '^setuptools==' "$here/requirements/stack.txt")"

mmcv_ok() {
  "$PY" - <<'PY' >/dev/null 2>&1
import mmcv
from mmcv.ops import nms  # the compiled ops
assert mmcv.__version__ == '2.1.0'
PY
}

if mmcv_ok; then
  log "step 2/4: mmcv ${MMCV_VERSION} with ops already installed"
else
  whl=$(ls "$CACHE"/mmcv-${MMCV_VERSION}-*.whl 2>/dev/null | head -n1 || true)
  if [ -z "$whl" ]; then
    log "step 2/4: no cached wheel in $CACHE: building mmcv ${MMCV_VERSION} with ops from source (~15 min on 2 cores with ninja)"
    work=$(mktemp -d)
    trap 'rm -rf "$work"; [ -n "${watch_pid:-}" ] && kill "$watch_pid" 2>/dev/null || true' EXIT
    "${PIP[@]}" download -q --no-deps --no-binary :all: -d "$work" "mmcv==${MMCV_VERSION}" 2>&1 | grep -v "^WARNING: Location" || true
    tar -xzf "$work/mmcv-${MMCV_VERSION}.tar.gz" -C "$work"
    src="$work/mmcv-${MMCV_VERSION}"
    # torch >= 2.10 headers need C++20; mmcv 2.1.0's setup.py passes -std=c++14/17
    sed -i -e 's/-std=c++14/-std=c++20/g' -e 's/-std=c++17/-std=c++20/g' "$src/setup.py"
    total=$(ls "$src"/mmcv/ops/csrc/pytorch/*.cpp "$src"/mmcv/ops/csrc/pytorch/cpu/*.cpp | wc -l)
    # progress: count the compiled objects every 60 s
    ( while sleep 60; do
        n=$(find "$src/build" -name '*.o' 2>/dev/null | wc -l)
        log "  mmcv build: compiled $n/$total C++ files"
      done ) &
    watch_pid=$!
    ( cd "$src" && MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-2} \
        "${PIP[@]}" wheel --no-deps --no-build-isolation -w "$work/dist" . \
        > "$work/build.log" 2>&1 ) || { tail -n 40 "$work/build.log"; log "mmcv build FAILED"; exit 1; }
    kill "$watch_pid" 2>/dev/null || true
    built=$(ls "$work"/dist/mmcv-*.whl | head -n1)
    mkdir -p "$CACHE"
    # publish atomically: a half-copied wheel is never picked up
    cp "$built" "$CACHE/.tmp-$(basename "$built")"
    mv "$CACHE/.tmp-$(basename "$built")" "$CACHE/$(basename "$built")"
    whl="$CACHE/$(basename "$built")"
    log "built and cached $whl"
  else
    log "step 2/4: reusing cached $whl"
  fi
  pip_q --no-deps "$whl"
fi

log "step 3/4: OpenMMLab stack, test tools, mmwsss (editable)"
grep -v -E '^(torch|torchvision)==' "$here/requirements/stack.txt" > "$VENV/.stack-rest.txt"
pip_q --no-deps -r "$here/requirements/openmmlab.txt"
pip_q -r "$VENV/.stack-rest.txt" -r "$here/requirements/tests.txt"
pip_q --no-deps --no-build-isolation -e "$here"

log "step 4/4: import check"
"$PY" - <<'PY'
import torch, mmcv, mmengine, mmseg, mmpretrain, numpy
import mmcv.ops, mmseg.models, mmseg.datasets, mmseg.apis, mmpretrain.models
import pydensecrf.densecrf
import mmwsss
print('  torch', torch.__version__, '| mmcv', mmcv.__version__, '| mmengine',
      mmengine.__version__, '| mmseg', mmseg.__version__, '| mmpretrain',
      mmpretrain.__version__, '| numpy', numpy.__version__, '| mmwsss',
      mmwsss.__version__)
PY
log "done in $(( $(date +%s) - t0 )) s"
