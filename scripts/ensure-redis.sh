#!/usr/bin/env bash
# The queue tests and benchmarks start their own redis-server (Debian's package, Redis 7).
set -euo pipefail
if [ -x /usr/bin/redis-server ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "redis-server is missing: install Debian's 'redis-server' package (apt-get install redis-server)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq redis-server >/dev/null
# The tests start servers of their own; the package's system service is not needed.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
