#!/usr/bin/env bash
# Print the newest Python >= 3.12 on this machine (ansible-core 2.21 needs it on
# the controller): $PYTHON if set, else python3.13, python3.12, python3 on PATH,
# then pyenv's installed versions (pyenv shims of a version that is not active
# are on PATH but do not run). Exit 1 with the fix when there is none.
set -u
best="" best_ver=""
try() {
  local cand=$1 out
  out=$("$cand" -c 'import sys; v = sys.version_info; print("%d.%02d %s" % (v[0], v[1], sys.executable)) if v >= (3, 12) else sys.exit(1)' 2>/dev/null) || return 1
  local ver=${out%% *} exe=${out#* }
  if [ -z "$best_ver" ] || [[ "$ver" > "$best_ver" ]]; then best_ver=$ver best=$exe; fi
}
if [ -n "${PYTHON:-}" ]; then
  try "$PYTHON" || { echo "PYTHON=$PYTHON is not a Python >= 3.12 that runs; unset it or point it at one (e.g. PYTHON=/usr/bin/python3.12)." >&2; exit 1; }
  echo "$best"; exit 0
fi
for cand in python3.13 python3.12 python3; do
  command -v "$cand" >/dev/null 2>&1 && try "$cand"
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for cand in "$root"/versions/3.1[2-9]*/bin/python3; do
  [ -x "$cand" ] && try "$cand"
done
if [ -z "$best" ]; then
  echo "No Python >= 3.12 found (ansible-core 2.21 needs one on the controller). Install python3.12 or newer (apt-get install python3.12, pyenv install 3.13) or set PYTHON=/path/to/python3.12." >&2
  exit 1
fi
echo "$best"
