#!/usr/bin/env bash
# Prints the failing tasks, tests and first error lines of the last turbo run, read from
# the log turbo keeps of each task (<package>/.turbo/turbo-<task>.log):
#   scripts/failure-summary.sh LABEL
# Used at the end of test runs, because CI shows only the end of a long output.
set -uo pipefail
cd "$(dirname "$0")/.."
echo "== failures${1:+ on $1}"
find . -path ./node_modules -prune -o -path '*/.turbo/turbo-*.log' -print | sort | while read -r log; do
  sed -e 's/\x1b\[[0-9;]*m//g' -e "s|^|${log%/.turbo/*}: |" "$log"
done \
  | grep -E '(ERR_PNPM|ELIFECYCLE|FAIL |^\S*\s+(✗|×) |AssertionError|Error:|Timed out|timed out)' \
  | grep -vE '✓|^\S+ stdout \|' | awk '!seen[$0]++' | head -60
echo "== end of failures"
