#!/bin/sh
# Round 10, step 1 (issue 11): the bench's floors side by side, then the router beside both floors, in one
# hold of the lock. Run from the repository root:
#   flock /work/bench.lock sh apps/router/bench/r10-floors.sh
# Writes results/router-floors-r10.{md,json}, results/router-latency-r10-floors.{md,json} and the loads in
# results/router-floors-r10-log.txt.
set -e
LOG=apps/router/bench/results/router-floors-r10-log.txt
echo "start $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" > "$LOG"
node --import tsx apps/router/bench/router-floors.bench.ts --rate 1000 --seconds 10 --pairs 4 --client-nice=-5 \
  --out router-floors-r10
echo "floors done $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> "$LOG"
node --import tsx apps/router/bench/router-latency.bench.ts --scripted --rate 1000 --seconds 15 --runs 3 \
  --client-nice=-5 --floor-seconds 10 --out router-latency-r10-floors
echo "router done $(date -u +%H:%M:%S) load $(cat /proc/loadavg)" >> "$LOG"
