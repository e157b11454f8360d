#!/usr/bin/env bash
# Builds and runs every package's and app's tests on Node.js <major> (22, 24, 26, …):
#   scripts/test-node.sh 24
# The Node binary is fetched once into a cache folder (see scripts/node-bin.sh). Turbo keys
# its cache on FANOUT_NODE_MAJOR, so results on one Node version never stand in for another.
set -euo pipefail
cd "$(dirname "$0")/.."
major="${1:?usage: scripts/test-node.sh MAJOR (e.g. 24)}"
bin="$(bash scripts/node-bin.sh "$major")"
export PATH="$bin:$PATH"
export FANOUT_NODE_MAJOR="$major"
echo "== tests on Node $(node --version)"
# The failure summary reads turbo's task logs: none may be left from another Node's run.
find . -path ./node_modules -prune -o -path '*/.turbo/turbo-*.log' -print0 | xargs -0 rm -f
status=0
pnpm turbo run test --concurrency=2 --continue || status=$?
if [ "$status" -ne 0 ]; then
  # CI keeps only the end of its output: it collects these and repeats them there.
  bash scripts/failure-summary.sh "Node $major" | tee -a "${FANOUT_FAILURES:-/dev/null}" >&2
fi
exit "$status"
