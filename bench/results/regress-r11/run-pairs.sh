#!/bin/sh
# Round 11 regression check: acefbff (A, window 11's services) vs main (B), alternated A/B/A/B/A/B in one
# exclusive hold. Run as: flock /work/bench.lock sh bench/results/regress-r11/run-pairs.sh <outdir> <A dir> <B dir>
# Each invocation: `node --import tsx bench/cluster-throughput.bench.ts --runs 1 --requests 96` from that checkout.
set -e
mkdir -p "$1"; OUT=$(cd "$1" && pwd); A=$2; B=$3
export OICF_SHARED_TRACES=/work/shared/traces
mkdir -p "$OUT"
for i in 1 2 3; do
  for side in A B; do
    if [ $side = A ]; then dir=$A; else dir=$B; fi
    echo "$(date -u +%FT%TZ) pair $i $side $dir $(git -C "$dir" rev-parse --short HEAD) load $(cat /proc/loadavg)" | tee -a "$OUT/log.txt"
    (cd "$dir" && node --import tsx bench/cluster-throughput.bench.ts --runs 1 --requests 96 > /dev/null 2>>"$OUT/log.txt")
    cp "$dir/bench/results/cluster-throughput.json" "$OUT/$side-$i.json"
    cp "$dir/bench/results/cluster-throughput.md" "$OUT/$side-$i.md"
  done
done
echo "$(date -u +%FT%TZ) done load $(cat /proc/loadavg)" | tee -a "$OUT/log.txt"
