#!/usr/bin/env bash
# Run the molecule scenarios in the talk's order, each against the rehearsal
# stack (each scenario's create ensures it is up). `default` (the whole talk) runs last:
# its destroy takes the stack down and proves nothing is left.
# Usage: tests/molecule.sh [scenario ...]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$here/.venv/bin:$PATH
order=(preflight installed aws_prereqs kops_cluster default)
if [ $# -gt 0 ]; then order=("$@"); fi
cd "$here" || exit 1   # molecule finds extensions/molecule/<scenario> from the collection root
passed=0 failed=0 failures=()
for scenario in "${order[@]}"; do
  if [ ! -f "extensions/molecule/$scenario/molecule.yml" ]; then
    echo "molecule: scenario $scenario does not exist" >&2
    failed=$((failed + 1)); failures+=("$scenario(missing)"); continue
  fi
  start=$(date +%s)
  echo "=== molecule test -s $scenario"
  # Molecule keeps a scenario's state (created: true) under ~/.ansible/tmp, keyed
  # by the scenario's path: a scenario without destroy (preflight leaves the stack
  # for the next one) would skip create on the next run from the same path, with
  # no stack running. Every run starts from create (it is idempotent).
  molecule reset -s "$scenario" >/dev/null 2>&1 || true
  if molecule test -s "$scenario"; then
    passed=$((passed + 1)); result=passed
  else
    failed=$((failed + 1)); failures+=("$scenario"); result=FAILED
  fi
  echo "=== molecule scenario $scenario $result in $(( $(date +%s) - start )) s"
done
[ ${#failures[@]} -eq 0 ] || echo "molecule: failed scenarios: ${failures[*]}"
echo "molecule: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
