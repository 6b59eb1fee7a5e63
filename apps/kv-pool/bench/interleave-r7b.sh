#!/usr/bin/env bash
# Round 7's second judged run (apps/kv-pool/bench/results/kv-pool-r7b-prefault.md, rule P): main and r7-pool
# interleaved under the caller's hold of /work/bench.lock, order alternating between pairs. Sides:
#   m0  main (/work/main), default (pread/pwrite)
#   b2  r7-pool with OICF_SHM_NATIVE=1 (the arena mapped, all its pages mapped and allocated at start: shm.prefault)
# Main's result files go to /tmp/r7main (its tree is read-only for this branch), copied here afterwards.
# usage: interleave-r7b.sh
set -u
BR=/work/wt/r7-pool
MAIN=/work/main
UP=../../../../../..   # from <tree>/apps/kv-pool/bench/results to /
mkdir -p /tmp/r7main
run_kv() { # hold side signed pair
  local hold=$1 side=$2 signed=$3 n=$4 dir name prefix env=""
  name=kv-pool-r7b-$hold-$signed-$side-pair$n
  if [ $side = b2 ]; then dir=$BR; prefix=""; env="OICF_SHM_NATIVE=1"; else dir=$MAIN; prefix="$UP/tmp/r7main/"; fi
  [ $hold = cap ] && env="$env KVPOOL_BENCH_DRAM_MIB=128"
  [ $signed = signed ] && env="$env KVPOOL_BENCH_SIGNED=1"
  echo "== $name start $(date -u +%FT%TZ) load $(cat /proc/loadavg) :: cd $dir && $env KVPOOL_BENCH_RESULT=$name node --import tsx apps/kv-pool/bench/kv-pool.bench.ts"
  (cd $dir && env $env KVPOOL_BENCH_RESULT=$prefix$name timeout 600 node --import tsx apps/kv-pool/bench/kv-pool.bench.ts >/dev/null) ; rc=$?
  echo "== $name end $(date -u +%FT%TZ) rc $rc load $(cat /proc/loadavg)"
}
echo "== prefault cost start $(date -u +%FT%TZ) load $(cat /proc/loadavg)"
(cd $BR && node --import tsx apps/kv-pool/bench/prefault-cost.ts --mib=4352,384 --repeats=3)
for n in 1 2 3; do
  if [ $n = 2 ]; then order="b2 m0"; else order="m0 b2"; fi
  for hold in default cap; do
    for signed in unsigned signed; do
      for side in $order; do run_kv $hold $side $signed $n; done
    done
  done
done
