#!/usr/bin/env bash
# Round 11's judged handoff run (results/handoff-r11-rule.md): wait (outside the lock, ≤ 10 min) until the machine's
# busy CPU over 10 s is < 0.2 cores, then three runs of handoff.bench.ts back to back in one exclusive hold.
set -u
cd "$(dirname "$0")/../../.."
busy() { awk 'NR==1 {print $2+$3+$4+$7+$8+$9}' /proc/stat; }
for i in $(seq 1 60); do
  a=$(busy); sleep 10; b=$(busy)
  cores=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", (b-a)/100/10}')
  echo "$(date -u +%H:%M:%S) machine busy over 10 s: $cores cores"
  awk -v c="$cores" 'BEGIN {exit !(c < 0.2)}' && break
done
flock /work/bench.lock bash -c '
  echo "start $(date -u +%H:%M:%S) $(cat /proc/loadavg)"
  for k in 1 2 3; do HANDOFF_BENCH_RESULT=handoff-r11-$k node --import tsx apps/decode-worker/bench/handoff.bench.ts; done
  echo "end $(date -u +%H:%M:%S) $(cat /proc/loadavg)"; echo "rc $?"'
