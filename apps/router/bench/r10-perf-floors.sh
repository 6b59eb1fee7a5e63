#!/bin/sh
# Round 10 (issue 11): Linux perf CPU-time profiles of the relay floor (the router's syscall shape, no work)
# and the door floor (the router's fast door), one recording per server over a whole router-floors run
# (each server busy only in its own windows: 2 s warm-up + 10 s, 12,000 requests). A diagnostic. From the
# repository root, in one hold of the lock:
#   flock /work/bench.lock sh apps/router/bench/r10-perf-floors.sh /tmp/r10-perf
set -e
DIR=${1:-/tmp/r10-perf}
mkdir -p "$DIR"
echo "floors start $(date -u +%T) load $(cat /proc/loadavg)" >> "$DIR/log.txt"
BENCH_CHILD_NODE_ARGS="--perf-basic-prof" node --import tsx apps/router/bench/router-floors.bench.ts --kinds relay,door \
  --pairs 1 --seconds 10 --client-nice=-5 --out "$DIR/router-floors-r10-perf" > /dev/null 2>> "$DIR/log.txt" &
BENCH=$!
child() {
  while :; do
    p=$(ps --ppid $BENCH -o pid=,args= | grep -F -- "$1" | awk '{print $1}' | head -1)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.05
  done
}
R=$(child 'net-floor-server.mjs --relay')
D=$(child 'door-floor-server.ts')
echo "relay $R door $D $(date -u +%T)" >> "$DIR/log.txt"
perf record -q -F 999 -g -p "$R" -o "$DIR/floor-relay.data" &
P1=$!
perf record -q -F 999 -g -p "$D" -o "$DIR/floor-door.data" &
P2=$!
wait $BENCH
kill -INT $P1 $P2
wait $P1 $P2 || true
echo "floors end $(date -u +%T) load $(cat /proc/loadavg)" >> "$DIR/log.txt"
