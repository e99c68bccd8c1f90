# Functions of tools/install/install_stack.sh (sourced; tested by
# tests/test_tools/test_install_lib.py).

# absolute_path P: P made absolute against the current directory (not
# resolved: the folder need not exist yet)
absolute_path() {
  case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
}

# quiet pip, but keep its errors. Two conflicts are expected and dropped on
# purpose: mmcv/mmengine declare the GUI `opencv-python` (needs libGL; the
# pinned `opencv-python-headless` provides the same cv2 module), and openmim
# declares `opendatalab` (only for `mim download --dataset`; it pins old
# setuptools/requests that would break the stack). pip's resolver prints them
# as "ERROR: ... dependency conflicts", which is not a failure. Any other
# conflict is printed unchanged.
EXPECTED='requires (opencv-python|opendatalab)([<>=!~][^ ]*)?, '
# pip_q ARGS: `${PIP[@]} install -q ARGS` (PIP set by the caller)
pip_q() {
  local out rc=0 kept
  out=$("${PIP[@]}" install -q "$@" 2>&1) || rc=$?
  kept=$(printf '%s\n' "$out" | grep -v -E -e '^WARNING: Location' -e "$EXPECTED" || true)
  if printf '%s\n' "$out" | grep -q -E "$EXPECTED"; then
    if printf '%s\n' "$kept" | grep -qE '^[A-Za-z0-9_.-]+ [^ ]+ requires '; then
      kept=$out   # other conflicts too: show pip's whole message
    else
      kept=$(printf '%s\n' "$kept" | grep -v "dependency resolver does not currently take" || true)
      echo "  note: pip's expected conflict messages are not shown (opencv-python is served by the pinned opencv-python-headless; openmim's opendatalab is only for dataset downloads)"
    fi
  fi
  [ -n "${kept//[$'\n' ]/}" ] && printf '%s\n' "$kept"
  return "$rc"
}
