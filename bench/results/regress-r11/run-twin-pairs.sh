#!/bin/sh
# The twin's real mode-a run (window 11/12's judged run: 300 requests, this VM's step times), acefbff (A) vs main (B),
# alternated A/B/A/B in one exclusive hold:
#   flock /work/bench.lock sh bench/results/regress-r11/run-twin-pairs.sh <outdir> <A dir> <B dir>
set -e
mkdir -p "$1"; OUT=$(cd "$1" && pwd); A=$2; B=$3
export OICF_SHARED_TRACES=/work/shared/traces
for i in 1 2; do
  for side in A B; do
    if [ $side = A ]; then dir=$A; else dir=$B; fi
    echo "$(date -u +%FT%TZ) pair $i $side $dir $(git -C "$dir" rev-parse --short HEAD) load $(cat /proc/loadavg)" | tee -a "$OUT/log.txt"
    (cd "$dir" && node --import tsx bench/sim-fidelity.bench.ts --modes a --real-only --max-requests 300 \
      --step-time-file bench/results/sim-fidelity-r10-steptime/step-time.json --host-scheduling per-core \
      --quiet-other-cores 0.1 --quiet-max-seconds 45 --out "$OUT/$side-$i" > "$OUT/$side-$i.log" 2>&1)
  done
done
echo "$(date -u +%FT%TZ) done load $(cat /proc/loadavg)" | tee -a "$OUT/log.txt"
