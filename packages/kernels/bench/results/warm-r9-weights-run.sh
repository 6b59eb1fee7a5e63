#!/bin/sh
# The judged run of warm-r9-rule.md, in one lock hold: flock /work/bench.lock sh <this file> <candidate root> <base root>
set -e
C=$1; B=$2; OUT=$C/packages/kernels/bench/results/warm-r9-weights-raw
mkdir -p "$OUT"
echo "lock held $(date -u +%T) load $(cat /proc/loadavg)" > "$OUT/times.txt"
(cd "$C" && node --import tsx packages/kernels/bench/warm-weights-ab.bench.ts --rounds 20) > "$OUT/ab.txt" 2>&1
for pair in 1 2; do
  (cd "$B" && node --import tsx packages/kernels/bench/warm.bench.ts --touch) > "$OUT/warm-$pair-base.txt" 2>&1
  (cd "$C" && node --import tsx packages/kernels/bench/warm.bench.ts --touch) > "$OUT/warm-$pair-after.txt" 2>&1
done
echo "done $(date -u +%T) load $(cat /proc/loadavg)" >> "$OUT/times.txt"
