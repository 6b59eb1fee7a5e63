#!/usr/bin/env bash
# Round 10's judged run (results/kv-pool-r10-rule.md, rule G in rule-r10.ts): main and r10-pool interleaved under the
# caller's hold of /work/bench.lock, order alternating between pairs, SIGNED pairs first (the cells the rule judges),
# then unsigned (reported beside, not judged). Sides, both with OICF_SHM_NATIVE=1 (the arena mapped and prefaulted, the
# configuration of rounds 7–9):
#   m1  main e187847 (a checkout: git -C /work/main worktree add -q --detach /work/wt/r10-pool-main main, installed and
#       bootstrapped; its kv-pool.bench.ts is this branch's: the candidate changes no bench file)
#   b1  r10-pool (transport: requests settled from a pending table, frames of one turn corked into one writev,
#       synchronous handlers ended without a promise)
# Each run: 2 rounds × {256 KiB, 1 MiB} × {pool-shm, Redis}, 64 MiB per measurement, 32 in flight, 512 MiB dram (never
# fills), as round 9's. Lock budget guard: a run is not started when the time held plus the longest run so far would
# pass BUDGET_S (default 420 s); skipped runs are logged, and the rule counts only complete pairs.
# Main's result files are written in its checkout and copied here afterwards.
# usage: interleave-r10.sh
set -u
BR=$(cd "$(dirname "$0")/../../.." && pwd)
MAIN=${MAIN:-/work/wt/r10-pool-main}
BUDGET_S=${BUDGET_S:-420}
T0=$(date +%s)
LONGEST=0
COMMON="OICF_SHM_NATIVE=1 KVPOOL_BENCH_ROUNDS=2 KVPOOL_BENCH_SIZES=256,1024 KVPOOL_BENCH_SYSTEMS=pool-shm,redis KVPOOL_BENCH_DRAM_MIB=512"
run_kv() { # side signed pair
  local side=$1 signed=$2 n=$3 dir name env="$COMMON" s e
  name=kv-pool-r10-default-$signed-$side-pair$n
  if [ $side = b1 ]; then dir=$BR; else dir=$MAIN; fi
  [ $signed = signed ] && env="$env KVPOOL_BENCH_SIGNED=1"
  s=$(date +%s)
  if [ $(( s - T0 + LONGEST )) -gt "$BUDGET_S" ]; then
    echo "== $name skipped: held $(( s - T0 )) s + longest run $LONGEST s would pass the budget of $BUDGET_S s"
    return
  fi
  echo "== $name start $(date -u +%FT%TZ) load $(cat /proc/loadavg) :: cd $dir && $env KVPOOL_BENCH_RESULT=$name node --import tsx apps/kv-pool/bench/kv-pool.bench.ts"
  (cd $dir && env $env KVPOOL_BENCH_RESULT=$name timeout 300 node --import tsx apps/kv-pool/bench/kv-pool.bench.ts >/dev/null) ; rc=$?
  e=$(date +%s)
  [ $(( e - s )) -gt $LONGEST ] && LONGEST=$(( e - s ))
  echo "== $name end $(date -u +%FT%TZ) rc $rc took $(( e - s )) s load $(cat /proc/loadavg)"
  if [ $side = m1 ] && [ -f "$MAIN/apps/kv-pool/bench/results/$name.json" ]; then
    cp "$MAIN/apps/kv-pool/bench/results/$name.json" "$MAIN/apps/kv-pool/bench/results/$name.md" "$BR/apps/kv-pool/bench/results/"
  fi
}
for signed in signed unsigned; do
  for n in 1 2 3; do
    if [ $n = 2 ]; then order="b1 m1"; else order="m1 b1"; fi
    for side in $order; do run_kv $side $signed $n; done
  done
done
echo "== held $(( $(date +%s) - T0 )) s"
