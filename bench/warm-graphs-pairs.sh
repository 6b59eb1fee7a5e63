#!/bin/sh
# Round 8: the decode workers' graphs built for every batch size at start (the default since 9242195) against batch 1
# only (OICF_DECODE_WORKER_WARM_BATCHES=1, the behaviour before), on the real cluster: the fidelity bench's real runs of
# its 300-request window, mode a (real kernels), alternated per pair. Run it under the bench lock:
#   flock /work/bench.lock sh bench/warm-graphs-pairs.sh 3
# Judged by bench/results/warm-graphs-r8/RULE.md (committed before the run) with bench/warm-graphs-table.ts.
set -eu
PAIRS=${1:-3}
OUT=bench/results/warm-graphs-r8
mkdir -p "$OUT"
run() { # arm pair
  echo "== $1 pair $2 $(date -u +%T) load $(cat /proc/loadavg)" >> "$OUT/log.txt"
  if [ "$1" = warm1 ]; then W=1; else W=; fi
  env ${W:+OICF_DECODE_WORKER_WARM_BATCHES=$W} node --import tsx bench/sim-fidelity.bench.ts --modes a --real-only \
    --real-runs 1 --max-requests 300 --quiet-other-cores 0.1 --quiet-max-seconds 10 --out "$OUT/$1-$2" >> "$OUT/log.txt" 2>&1
  echo "   end $(date -u +%T) load $(cat /proc/loadavg)" >> "$OUT/log.txt"
}
for p in $(seq 1 "$PAIRS"); do
  if [ $((p % 2)) -eq 1 ]; then run warm1 "$p"; run warmall "$p"; else run warmall "$p"; run warm1 "$p"; fi
done
