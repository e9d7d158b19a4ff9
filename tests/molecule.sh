#!/usr/bin/env bash
# Run the molecule scenarios in the talk's order, each against the rehearsal
# stack (each scenario's create ensures it is up). `default` (the whole talk) runs last:
# its destroy takes the stack down and proves nothing is left.
# `installed` has a stack of its own (its own ports, state directory and DNS
# address, no real node: the one real node is the shared stack's), so with no
# arguments it runs beside the others, its output kept and printed when it ends.
# Usage: tests/molecule.sh [scenario ...]   (named scenarios run one after another)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$here/.venv/bin:$PATH
order=(preflight aws_prereqs kops_cluster default)
beside=(installed)
if [ $# -gt 0 ]; then order=("$@"); beside=(); fi
cd "$here" || exit 1   # molecule finds extensions/molecule/<scenario> from the collection root
passed=0 failed=0 failures=()
suite_start=$(date +%s)

# Runs one scenario; prints its result line; returns molecule's status.
run_scenario() {
  local scenario=$1 start rc result
  if [ ! -f "extensions/molecule/$scenario/molecule.yml" ]; then
    echo "molecule: scenario $scenario does not exist" >&2
    return 2
  fi
  start=$(date +%s)
  echo "=== molecule test -s $scenario"
  # Molecule keeps a scenario's state (created: true) under ~/.ansible/tmp, keyed
  # by the scenario's path: a scenario without destroy (preflight leaves the stack
  # for the next one) would skip create on the next run from the same path, with
  # no stack running. Every run starts from create (it is idempotent).
  molecule reset -s "$scenario" >/dev/null 2>&1 || true
  molecule test -s "$scenario"
  rc=$?
  if [ "$rc" -eq 0 ]; then result=passed; else result=FAILED; fi
  echo "=== molecule scenario $scenario $result in $(( $(date +%s) - start )) s"
  return "$rc"
}

count() {   # count <scenario> <status>
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failures+=("$1")
  fi
}

logs_dir=$(mktemp -d)
trap 'rm -rf "$logs_dir"' EXIT
pids=()
for scenario in "${beside[@]}"; do
  echo "=== molecule test -s $scenario: beside the others (its output follows when it ends)"
  run_scenario "$scenario" >"$logs_dir/$scenario.log" 2>&1 &
  pids+=("$!")
done

for scenario in "${order[@]}"; do
  run_scenario "$scenario"
  count "$scenario" $?
done

for i in "${!beside[@]}"; do
  wait "${pids[$i]}"
  rc=$?
  echo "=== molecule: the output of ${beside[$i]}, which ran beside the others"
  cat "$logs_dir/${beside[$i]}.log"
  count "${beside[$i]}" "$rc"
done

[ ${#failures[@]} -eq 0 ] || echo "molecule: failed scenarios: ${failures[*]}"
echo "molecule: $passed passed, $failed failed in $(( $(date +%s) - suite_start )) s"
[ "$failed" -eq 0 ]
