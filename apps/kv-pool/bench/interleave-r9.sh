#!/usr/bin/env bash
# Round 9's judged run (results/kv-pool-r9-rule.md, rule F in rule-r9.ts): main and r9-pool interleaved under the
# caller's hold of /work/bench.lock, order alternating between pairs, SIGNED pairs first (the cells the change acts
# on), then unsigned (the control: that path is the same code on both sides). Sides, both with OICF_SHM_NATIVE=1 (the
# arena mapped and prefaulted, the configuration of rounds 7 and 8, where the fused paths run):
#   m1  main 96e5ea7 (a copy: git worktree add --detach /tmp/r9-main-pool 96e5ea7, installed and bootstrapped, with
#       this branch's kv-pool.bench.ts copied in: only its KVPOOL_BENCH_SIZES and named partial runs differ; main's
#       bench-blocks.ts, which signs with blockDigest, is kept)
#   b1  r9-pool (the digest's GMAC in C, fused with the copies on both sides)
#       (reverted by rule F: this script records the judged run; run again it measures whatever this tree holds then)
# Each run: 2 rounds × {256 KiB, 1 MiB} × {pool-shm, Redis}, 64 MiB per measurement, 32 in flight, 512 MiB dram (never
# fills): smaller than round 8's runs (5 rounds × 3 sizes × 5 systems) to fit 12 runs in this round's lock budget at a
# load of 12–14. Lock budget guard: a run is not started when the time held plus the longest run so far would pass
# BUDGET_S (default 540 s); skipped runs are logged, and the rule counts only complete pairs.
# Main's result files go to /tmp/r9main, copied here afterwards.
# usage: interleave-r9.sh
set -u
BR=$(cd "$(dirname "$0")/../../.." && pwd)
MAIN=/tmp/r9-main-pool
BUDGET_S=${BUDGET_S:-540}
mkdir -p /tmp/r9main
T0=$(date +%s)
LONGEST=0
COMMON="OICF_SHM_NATIVE=1 KVPOOL_BENCH_ROUNDS=2 KVPOOL_BENCH_SIZES=256,1024 KVPOOL_BENCH_SYSTEMS=pool-shm,redis KVPOOL_BENCH_DRAM_MIB=512"
run_kv() { # side signed pair
  local side=$1 signed=$2 n=$3 dir name out env="$COMMON" s e
  name=kv-pool-r9-default-$signed-$side-pair$n
  if [ $side = b1 ]; then dir=$BR; out=$name; else dir=$MAIN; out="../../../../../../tmp/r9main/$name"; fi
  [ $signed = signed ] && env="$env KVPOOL_BENCH_SIGNED=1"
  s=$(date +%s)
  if [ $(( s - T0 + LONGEST )) -gt "$BUDGET_S" ]; then
    echo "== $name skipped: held $(( s - T0 )) s + longest run $LONGEST s would pass the budget of $BUDGET_S s"
    return
  fi
  echo "== $name start $(date -u +%FT%TZ) load $(cat /proc/loadavg) :: cd $dir && $env KVPOOL_BENCH_RESULT=$out node --import tsx apps/kv-pool/bench/kv-pool.bench.ts"
  (cd $dir && env $env KVPOOL_BENCH_RESULT=$out timeout 300 node --import tsx apps/kv-pool/bench/kv-pool.bench.ts >/dev/null) ; rc=$?
  e=$(date +%s)
  [ $(( e - s )) -gt $LONGEST ] && LONGEST=$(( e - s ))
  echo "== $name end $(date -u +%FT%TZ) rc $rc took $(( e - s )) s load $(cat /proc/loadavg)"
}
for signed in signed unsigned; do
  for n in 1 2 3; do
    if [ $n = 2 ]; then order="b1 m1"; else order="m1 b1"; fi
    for side in $order; do run_kv $side $signed $n; done
  done
done
echo "== held $(( $(date +%s) - T0 )) s"
