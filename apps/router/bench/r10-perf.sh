#!/bin/sh
# Round 10 (issue 11): where the router's CPU goes per request, kernel included, with Linux perf (CPU-time
# sampling, not V8's wall-clock profiler), beside the same for the node:http and node:net floors. A
# diagnostic, not a judged figure: perf costs CPU itself. Run from the repository root, in one hold of the lock:
#   flock /work/bench.lock sh apps/router/bench/r10-perf.sh /tmp/r10-perf
# Leaves <dir>/{router,floor-http,floor-net}.data (perf record -F 999 -g, one process each) and the bench's
# record <dir>/router-latency-r10-perf.{md,json}; the JIT's symbols from --perf-basic-prof (/tmp/perf-<pid>.map).
set -e
DIR=${1:-/tmp/r10-perf}
mkdir -p "$DIR"
echo "start $(date -u +%T) load $(cat /proc/loadavg)" > "$DIR/log.txt"
BENCH_CHILD_NODE_ARGS="--perf-basic-prof" node --import tsx apps/router/bench/router-latency.bench.ts --scripted \
  --rate 1000 --seconds 12 --runs 1 --floor-seconds 10 --client-nice=-5 \
  --out "$DIR/router-latency-r10-perf" > /dev/null 2>> "$DIR/log.txt" &
BENCH=$!
# The child of the bench whose command line has `$1`, once it exists.
child() {
  while :; do
    p=$(ps --ppid $BENCH -o pid=,args= | grep -F -- "$1" | awk '{print $1}' | head -1)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.1
  done
}
R=$(child 'run-service.mjs router')
# Started; then 3 s of idle CPU, 2 s of warm-up: the measured window runs from ≈ 6–7 s on.
sleep 8
echo "router $R perf $(date -u +%T) load $(cat /proc/loadavg)" >> "$DIR/log.txt"
perf record -q -F 999 -g -p "$R" -o "$DIR/router.data" -- sleep 8
H=$(child 'http-floor-server.mjs')
sleep 2
echo "floor-http $H perf $(date -u +%T) load $(cat /proc/loadavg)" >> "$DIR/log.txt"
perf record -q -F 999 -g -p "$H" -o "$DIR/floor-http.data" -- sleep 7
N=$(child 'net-floor-server.mjs')
sleep 2
echo "floor-net $N perf $(date -u +%T) load $(cat /proc/loadavg)" >> "$DIR/log.txt"
perf record -q -F 999 -g -p "$N" -o "$DIR/floor-net.data" -- sleep 7
wait $BENCH
echo "end $(date -u +%T) load $(cat /proc/loadavg)" >> "$DIR/log.txt"
