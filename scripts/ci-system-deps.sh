#!/usr/bin/env bash
# Debian packages the test suite needs (real servers and a real browser). Idempotent.
set -euo pipefail
need=()
for pkg in "$@"; do :; done
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "ci-system-deps: missing ${need[*]} and not root; tests that need them will fail" >&2
  fi
fi
