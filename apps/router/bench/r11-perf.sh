#!/bin/sh
# Round 11 (issue 11): the router's CPU by part and by JavaScript function, kernel included, with Linux perf,
# from the checkout it is run in (r10-perf.sh without the floors). A diagnostic, not a judged figure: perf
# costs CPU itself. Run from the repository root, in one hold of the lock:
#   flock /work/bench.lock sh apps/router/bench/r11-perf.sh /tmp/r11-perf
# Leaves <dir>/router.data (perf record -F 999 -g on the router for 8 s), the bench's record
# <dir>/router-latency-r11-perf.{md,json}, and in <dir>/log.txt the load and the router's sockets (ss), so
# the plane's transport (TCP or Unix socket) is on record. Then:
#   node --import tsx apps/router/bench/perf-parts.ts <dir>/router.data --requests 8000 --bundle dist/services/router.mjs
#   node --import tsx apps/router/bench/perf-functions.ts <dir>/router.data --requests 8000 --bundle dist/services/router.mjs
set -e
DIR=${1:-/tmp/r11-perf}
mkdir -p "$DIR"
echo "start $(date -u +%T) load $(cat /proc/loadavg) commit $(git rev-parse --short HEAD)" > "$DIR/log.txt"
BENCH_CHILD_NODE_ARGS="--perf-basic-prof" node --import tsx apps/router/bench/router-latency.bench.ts --scripted \
  --rate 1000 --seconds 12 --runs 1 --floor-seconds 1 --client-nice=-5 \
  --out "$DIR/router-latency-r11-perf" > /dev/null 2>> "$DIR/log.txt" &
BENCH=$!
child() {
  while :; do
    p=$(ps --ppid $BENCH -o pid=,args= | grep -F -- "$1" | awk '{print $1}' | head -1)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.1
  done
}
R=$(child 'run-service.mjs router')
sleep 8
echo "router $R perf $(date -u +%T) load $(cat /proc/loadavg)" >> "$DIR/log.txt"
ss -anp 2>/dev/null | grep "pid=$R," | awk '{print $1, $2, $5, $6}' | sort | uniq -c >> "$DIR/log.txt" || true
perf record -q -F 999 -g -p "$R" -o "$DIR/router.data" -- sleep 8
wait $BENCH
echo "end $(date -u +%T) load $(cat /proc/loadavg)" >> "$DIR/log.txt"
