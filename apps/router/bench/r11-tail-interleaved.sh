#!/bin/sh
# Round 11's router-tail candidate (branch r11-tail: V8 allocation-site pretenuring off in the router, gc-settings.ts),
# judged once by results/router-tail-r11-rule.md: main's router and the candidate's in alternated runs (main first in
# pairs 1, 3, 5; the candidate first in 2 and 4), all in ONE hold of the bench lock, started through quiet-gate.sh.
# Both arms use this branch's bench client (the round-11 client: latencies from the due time, --client-rt 10); main's
# router and scripted worker run from a detached checkout of main (--services-root), the candidate's from this one.
#
#   flock /work/bench.lock sh apps/router/bench/quiet-gate.sh sh apps/router/bench/r11-tail-interleaved.sh [/work/wt/r11-tail-main] 2>> <log>
set -e
MAIN=${1:-/work/wt/r11-tail-main}
BENCH="node --import tsx apps/router/bench/router-latency.bench.ts --scripted --rate 1000 --seconds 8 --runs 3 --warmup 2 --floor-seconds 1 --client-rt 10"
run() { # arm pair
  echo "$(date -u +%T) start $1-$2 load $(cat /proc/loadavg)" >&2
  case $1 in
    main) $BENCH --services-root "$MAIN" --out "router-tail-r11-main-arm-$2" > /dev/null ;;
    cand) $BENCH --out "router-tail-r11-cand-$2" > /dev/null ;;
  esac
  echo "$(date -u +%T) end $1-$2 load $(cat /proc/loadavg)" >&2
}
run main 1; run cand 1
run cand 2; run main 2
run main 3; run cand 3
run cand 4; run main 4
run main 5; run cand 5
