#!/bin/sh
# Round 10's plane-codec candidate (branch r10-codec), judged once by results/router-cpu-r10-codec-rule.md:
# the router at main and the router at this branch in alternated rounds (main first in rounds 1 and 3, the
# candidate first in rounds 2 and 4), all in ONE hold of the bench lock. Main runs from a checkout of main
# (`--services-root`, default /work/wt/r10-codec-main: its own dist, router and scripted worker) with this
# branch's bench client.
#
#   flock /work/bench.lock sh apps/router/bench/r10-codec-interleaved.sh [--own-checkout] [/work/wt/r10-codec-main] 2>> <log>
#
# --own-checkout (run 2, see the rule's amendment): the main arm runs the whole bench from main's checkout
# (its direct leg then speaks main's protocol: without it, this branch's direct client sends binary frames
# that main's worker refuses). Outputs router-latency-r10-codec2-*; without it, router-latency-r10-codec-*.
set -e
OWN=0
if [ "$1" = "--own-checkout" ]; then OWN=1; shift; fi
MAIN=${1:-/work/wt/r10-codec-main}
HERE=$(pwd)
RES="$HERE/apps/router/bench/results"
BENCH="node --import tsx apps/router/bench/router-latency.bench.ts --scripted --rate 1000 --seconds 10 --runs 3 --floor-seconds 5 --client-nice=-5"
run() { # arm round
  echo "$(date -u +%T) start $1-$2 load $(cat /proc/loadavg)" >&2
  case $OWN-$1 in
    0-main) $BENCH --services-root "$MAIN" --out "router-latency-r10-codec-main-$2" > /dev/null ;;
    0-cand) $BENCH --out "router-latency-r10-codec-cand-$2" > /dev/null ;;
    1-main) (cd "$MAIN" && $BENCH --out "$RES/router-latency-r10-codec2-main-$2" > /dev/null) ;;
    1-cand) $BENCH --out "$RES/router-latency-r10-codec2-cand-$2" > /dev/null ;;
  esac
  echo "$(date -u +%T) end $1-$2 load $(cat /proc/loadavg)" >&2
}
run main 1; run cand 1
run cand 2; run main 2
run main 3; run cand 3
run cand 4; run main 4
