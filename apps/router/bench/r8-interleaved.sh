#!/bin/sh
# Round 8's judged measurement (apps/router/bench/results/router-latency-r8-rule.md): three triples, each
# main / branch / branch with V8's allocation-site pretenuring back on (`pre`), in rotated order, in ONE hold
# of the bench lock. Main runs from a copy of main at 9cf8cd4 (`--services-root`, default /tmp/r8-main-router)
# with this branch's bench client, so every arm is measured by the same client.
#
#   flock /work/bench.lock sh apps/router/bench/r8-interleaved.sh [/tmp/r8-main-router]
set -e
MAIN=${1:-/tmp/r8-main-router}
BENCH="node --import tsx apps/router/bench/router-latency.bench.ts --scripted --rate 1000 --seconds 15 --runs 3 --client-nice=-5"
run() { # arm triple
  echo "$(date -u +%T) start $1-$2 load $(cat /proc/loadavg)" >&2
  case $1 in
    main) $BENCH --services-root "$MAIN" --out "router-latency-r8-main-$2" > /dev/null ;;
    branch) $BENCH --out "router-latency-r8-branch-$2" > /dev/null ;;
    pre) $BENCH --router-node-args=--allocation-site-pretenuring --out "router-latency-r8-pre-$2" > /dev/null ;;
  esac
  echo "$(date -u +%T) end $1-$2 load $(cat /proc/loadavg)" >&2
}
run main 1; run branch 1; run pre 1
run branch 2; run pre 2; run main 2
run pre 3; run main 3; run branch 3
