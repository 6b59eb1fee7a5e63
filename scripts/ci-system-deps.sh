#!/usr/bin/env bash
# Debian packages the test suite needs (real servers and a real browser). Idempotent.
#   prometheus   the e2e scrape test, and promtool for test/integration/deploy-configs.test.ts
#   redis-server the kv-pool benchmark's comparison server
#   chromium     the e2e test of the `oicf analyze` HTML page
#   gcc          builds the shared-memory addon (packages/shm-native); CI must test the native path, and
#                packages/shm-native/src/native.test.ts fails under CI=1 when the addon did not load
# Not installed, because Debian bookworm has no usable package: kubectl with kustomize ≥ v4 (the overlays
# use kustomize `components`; bookworm's kubernetes-client is kubectl 1.20 with kustomize v2.0.3, which
# rejects them). deploy-configs.test.ts skips its two rendered-overlay checks and says why.
set -euo pipefail
need=()
for pkg in "$@"; do :; done
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need+=(gcc)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "ci-system-deps: missing ${need[*]} and not root; tests that need them will fail" >&2
  fi
fi
