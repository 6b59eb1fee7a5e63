#!/bin/sh
# Round 9's router CPU candidate, judged once (apps/router/bench/results/router-cpu-r9-rule.md): five pairs,
# main and this branch in alternating order (main first in pairs 1, 3, 5; branch first in 2, 4), in ONE hold
# of the bench lock. Main runs from a copy of main at 96e5ea7 (`--services-root`, default /tmp/r9-main-router)
# with this branch's bench client.
#
#   flock /work/bench.lock sh apps/router/bench/r9-interleaved.sh [/tmp/r9-main-router] 2>> <log>
set -e
MAIN=${1:-/tmp/r9-main-router}
BENCH="node --import tsx apps/router/bench/router-latency.bench.ts --scripted --rate 1000 --seconds 15 --runs 3 --client-nice=-5"
run() { # arm pair
  echo "$(date -u +%T) start $1-$2 load $(cat /proc/loadavg)" >&2
  case $1 in
    main) $BENCH --services-root "$MAIN" --out "router-latency-r9-main-$2" > /dev/null ;;
    branch) $BENCH --out "router-latency-r9-branch-$2" > /dev/null ;;
  esac
  echo "$(date -u +%T) end $1-$2 load $(cat /proc/loadavg)" >&2
}
run main 1; run branch 1
run branch 2; run main 2
run main 3; run branch 3
run branch 4; run main 4
run main 5; run branch 5
