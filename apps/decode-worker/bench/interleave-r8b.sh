#!/bin/sh
# Rule R8b's judged run (results/handoff-r8b-rule.md): 4 interleaved pairs, main's copy vs this branch, in one hold of
# the bench lock: flock /work/bench.lock sh apps/decode-worker/bench/interleave-r8b.sh /tmp/r8-main-handoff2
MAIN=$1
BRANCH=$(cd "$(dirname "$0")/../../.." && pwd)
cp "$BRANCH/apps/decode-worker/bench/handoff.bench.ts" "$BRANCH/apps/decode-worker/bench/handoff-parts.ts" "$MAIN/apps/decode-worker/bench/"
for n in 1 2 3 4; do
  for side in main branch; do
    root=$BRANCH; [ "$side" = main ] && root=$MAIN
    echo "== $side $n $(date -u +%T) load $(cat /proc/loadavg)"
    (cd "$root" && HANDOFF_BENCH_RESULT=handoff-r8b-$side-pair$n node --import tsx apps/decode-worker/bench/handoff.bench.ts | grep -E "^(CPU|Goal|Runs)")
  done
done
echo "end $(date -u +%T) load $(cat /proc/loadavg)"
cp "$MAIN"/apps/decode-worker/bench/results/handoff-r8b-main-pair* "$BRANCH/apps/decode-worker/bench/results/"
