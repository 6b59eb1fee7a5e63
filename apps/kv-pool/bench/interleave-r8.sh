#!/usr/bin/env bash
# Round 8's judged run (apps/kv-pool/bench/results/kv-pool-r8-pool.md, rule S in rule-r8.ts): main and r8-pool
# interleaved under the caller's hold of /work/bench.lock, order alternating between pairs, the bench's defaults
# (5 rounds, 64 MiB per measurement, 32 in flight, 4 GiB dram). Sides, both with OICF_SHM_NATIVE=1 (the arena mapped
# and prefaulted, where round 7's signed 256 KiB cells missed 1.5):
#   m1  main 9cf8cd4 (a copy: git worktree add /tmp/r8-main-pool 9cf8cd4, installed and bootstrapped)
#   b1  r8-pool (a signed put's slot copied with its XXH32 in one pass)
#       (reverted by rule S, 2e91d9e: this script records the judged run; run again it measures whatever this tree
#       holds then, not what was judged)
# Main's result files go to /tmp/r8main, copied here afterwards.
# usage: interleave-r8.sh
set -u
BR=$(cd "$(dirname "$0")/../../.." && pwd)
MAIN=/tmp/r8-main-pool
mkdir -p /tmp/r8main
run_kv() { # side signed pair
  local side=$1 signed=$2 n=$3 dir name out env="OICF_SHM_NATIVE=1"
  name=kv-pool-r8-default-$signed-$side-pair$n
  if [ $side = b1 ]; then dir=$BR; out=$name; else dir=$MAIN; out="../../../../../../tmp/r8main/$name"; fi
  [ $signed = signed ] && env="$env KVPOOL_BENCH_SIGNED=1"
  echo "== $name start $(date -u +%FT%TZ) load $(cat /proc/loadavg) :: cd $dir && $env KVPOOL_BENCH_RESULT=$name node --import tsx apps/kv-pool/bench/kv-pool.bench.ts"
  (cd $dir && env $env KVPOOL_BENCH_RESULT=$out timeout 600 node --import tsx apps/kv-pool/bench/kv-pool.bench.ts >/dev/null) ; rc=$?
  echo "== $name end $(date -u +%FT%TZ) rc $rc load $(cat /proc/loadavg)"
}
for n in 1 2 3; do
  if [ $n = 2 ]; then order="b1 m1"; else order="m1 b1"; fi
  for signed in signed unsigned; do
    for side in $order; do run_kv $side $signed $n; done
  done
done
