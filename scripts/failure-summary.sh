#!/usr/bin/env bash
# Prints the failing tasks, tests and first error lines found in a turbo/vitest log:
#   scripts/failure-summary.sh LOG LABEL
# Used at the end of test runs, because CI shows only the end of a long output.
set -uo pipefail
log="${1:?usage: scripts/failure-summary.sh LOG LABEL}"
label="${2:-}"
echo "== failures ${label:+on $label}"
sed 's/\x1b\[[0-9;]*m//g' "$log" \
  | grep -E '(ERR_PNPM|ELIFECYCLE|Failed:|FAIL |^\S*\s+(✗|×) |AssertionError|Error:|Timed out|timed out)' \
  | grep -vE '✓|^\S+ stdout \|' | awk '!seen[$0]++' | head -60
echo "== end of failures"
