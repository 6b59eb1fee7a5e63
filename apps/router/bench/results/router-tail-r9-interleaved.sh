#!/bin/sh
# Round 9's router tail experiment, judged once (router-tail-r9-rule.md): five triples, each main / branch /
# branch with V8's default pretenuring back (`pre`: the command line's --allocation-site-pretenuring, which the
# router's setting yields to), in rotated order, in ONE hold of the bench lock. Main runs from a copy of main
# (`--services-root`, default /tmp/r9tail-main) with this branch's bench client.
#
#   flock /work/bench.lock sh apps/router/bench/results/router-tail-r9-interleaved.sh [/tmp/r9tail-main]
set -e
MAIN=${1:-/tmp/r9tail-main}
BENCH="node --import tsx apps/router/bench/router-latency.bench.ts --scripted --rate 1000 --seconds 15 --runs 3 --client-nice=-5"
run() { # arm triple
  echo "$(date -u +%T) start $1-$2 load $(cat /proc/loadavg)" >&2
  case $1 in
    main) $BENCH --services-root "$MAIN" --out "router-tail-r9-main-$2" > /dev/null ;;
    branch) $BENCH --out "router-tail-r9-branch-$2" > /dev/null ;;
    pre) $BENCH "--router-node-args=--allocation-site-pretenuring" --out "router-tail-r9-pre-$2" > /dev/null ;;
  esac
  echo "$(date -u +%T) end $1-$2 load $(cat /proc/loadavg)" >&2
}
run main 1; run branch 1; run pre 1
run branch 2; run pre 2; run main 2
run pre 3; run main 3; run branch 3
run main 4; run branch 4; run pre 4
run branch 5; run pre 5; run main 5
