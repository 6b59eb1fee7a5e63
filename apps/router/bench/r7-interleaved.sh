#!/bin/sh
# Round 7's judged measurement (apps/router/bench/results/router-latency-r7-rule.md): three triples, each
# main / branch / branch with the router's young generation raised, in rotated order, in ONE hold of the
# bench lock. Main runs from a copy of main's checkout (`--services-root`, default /tmp/r7-main) with this
# branch's bench client, so every arm is measured by the same client.
#
#   flock /work/bench.lock sh apps/router/bench/r7-interleaved.sh [/tmp/r7-main]
set -e
MAIN=${1:-/tmp/r7-main}
BENCH="node --import tsx apps/router/bench/router-latency.bench.ts --scripted --rate 1000 --seconds 15 --runs 3 --client-nice=-5"
GC_FLAGS="--min-semi-space-size=16"
run() { # arm pair
  echo "$(date -u +%T) start $1-$2 load $(cat /proc/loadavg)" >&2
  case $1 in
    main) $BENCH --services-root "$MAIN" --out "router-latency-r7-main-$2" > /dev/null ;;
    branch) $BENCH --out "router-latency-r7-branch-$2" > /dev/null ;;
    gc) $BENCH --router-node-args="$GC_FLAGS" --out "router-latency-r7-gc-$2" > /dev/null ;;
  esac
  echo "$(date -u +%T) end $1-$2 load $(cat /proc/loadavg)" >&2
}
run main 1; run branch 1; run gc 1
run branch 2; run gc 2; run main 2
run gc 3; run main 3; run branch 3
