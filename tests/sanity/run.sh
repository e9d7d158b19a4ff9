#!/usr/bin/env bash
# ansible-test sanity from a temporary ansible_collections/indydevops/k8s_talk
# tree (ansible-test only runs from inside one). Copies what git tracks plus
# new files it does not ignore.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
venv=${VENV:-$here/.venv}
# ansible-test bootstraps pip in its sanity venvs with a downloaded get-pip.py;
# offline, our shim does the same from ensurepip (see get_pip_shim.py).
pip_version=$(grep -Po "pip='\K[0-9.]+" "$("$venv/bin/python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_internal/python_requirements.py")
shim=~/.ansible/test/cache/get_pip_${pip_version//./_}.py
[ -f "$shim" ] || { mkdir -p "$(dirname "$shim")"; cp "$here/tests/sanity/get_pip_shim.py" "$shim"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dest=$work/ansible_collections/indydevops/k8s_talk
mkdir -p "$dest"
(cd "$here" && git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents -P {} "$dest"/)
# The collections we depend on (doc fragments, module_utils) beside ours.
deps=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/ansible_collections
for ns in amazon community kubernetes; do ln -s "$deps/$ns" "$work/ansible_collections/$ns"; done
cd "$dest"
git init -q && git add -A >/dev/null   # ansible-test lists files through git
PATH=$venv/bin:$PATH "$venv/bin/ansible-test" sanity --venv --requirements --python "$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" "$@"
