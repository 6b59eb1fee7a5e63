#!/bin/sh
# Round 11's router CPU candidate (branch r11-router), judged once by results/router-cpu-r11-rule.md: the router
# at main and at this branch in alternated rounds (main first in rounds 1 and 3, the candidate first in rounds
# 2 and 4), all in ONE hold of the bench lock. Each arm runs the whole bench from its own checkout (its own
# router, scripted worker, transport and bench client: round 10's --own-checkout), main from $MAIN.
#
#   flock /work/bench.lock sh apps/router/bench/r11-interleaved.sh [/work/wt/r11-router-main] [tag] 2>> <log>
#
# Outputs results/router-latency-r11-<tag>-{main,cand}-{1..4}.{md,json} (tag default "cpu"); the load and the
# commit of each arm before and after each run on stderr. Judge with
#   node --import tsx apps/router/bench/r11-judge.ts router-latency-r11-<tag>-main router-latency-r11-<tag>-cand 4
set -e
MAIN=${1:-/work/wt/r11-router-main}
TAG=${2:-cpu}
HERE=$(pwd)
RES="$HERE/apps/router/bench/results"
BENCH="node --import tsx apps/router/bench/router-latency.bench.ts --scripted --rate 1000 --seconds 10 --runs 3 --floor-seconds 5 --client-nice=-5"
run() { # arm round
  case $1 in
    main) DIR=$MAIN ;;
    cand) DIR=$HERE ;;
  esac
  echo "$(date -u +%T) start $1-$2 ($(git -C "$DIR" rev-parse --short HEAD)) load $(cat /proc/loadavg)" >&2
  (cd "$DIR" && $BENCH --out "$RES/router-latency-r11-$TAG-$1-$2" > /dev/null)
  echo "$(date -u +%T) end $1-$2 load $(cat /proc/loadavg)" >&2
}
run main 1; run cand 1
run cand 2; run main 2
run main 3; run cand 3
run cand 4; run main 4
