#!/bin/sh
# Round 8's second router candidate, judged once (apps/router/bench/results/router-latency-r8b-rule.md): three
# triples, each main / branch / branch with a 16 MiB semi-space cap (`p16`: pretenuring still off, V8's default
# young generation back: the previous candidate's setting), in rotated order, in ONE hold of the bench lock.
# Main runs from a copy of main at 9cf8cd4 (`--services-root`, default /tmp/r8-main-router2) with this
# branch's bench client; every arm's router starts with its build's launch flags (routerLaunchFlags).
#
#   flock /work/bench.lock sh apps/router/bench/r8b-interleaved.sh [/tmp/r8-main-router2]
set -e
MAIN=${1:-/tmp/r8-main-router2}
BENCH="node --import tsx apps/router/bench/router-latency.bench.ts --scripted --rate 1000 --seconds 15 --runs 3 --client-nice=-5"
run() { # arm triple
  echo "$(date -u +%T) start $1-$2 load $(cat /proc/loadavg)" >&2
  case $1 in
    main) $BENCH --services-root "$MAIN" --out "router-latency-r8b-main-$2" > /dev/null ;;
    branch) $BENCH --out "router-latency-r8b-branch-$2" > /dev/null ;;
    p16) $BENCH "--router-node-args=--min-semi-space-size=1 --max-semi-space-size=16" --out "router-latency-r8b-p16-$2" > /dev/null ;;
  esac
  echo "$(date -u +%T) end $1-$2 load $(cat /proc/loadavg)" >&2
}
run main 1; run branch 1; run p16 1
run branch 2; run p16 2; run main 2
run p16 3; run main 3; run branch 3
