#!/usr/bin/env bash
# Round 11's judged run (results/kv-pool-r11-rule.md, rule H in rule-r11.ts): main and r11-kv interleaved under the
# caller's hold of /work/bench.lock, order alternating between pairs, SIGNED pairs only (the cells rule H judges; the
# unsigned ones are left out to keep the hold short). Sides, both with OICF_SHM_NATIVE=1 (the arena mapped and
# prefaulted, the configuration of rounds 7–10):
#   m1  main d78c306 (a checkout: git -C /work/main worktree add -q --detach /work/wt/r11-kv-main main, installed and
#       bootstrapped; its kv-pool.bench.ts is the same as this branch's)
#   b1  r11-kv (FrameSocket corks a turn's frames only while they come in a burst: MAX_CORK_GAP_MS)
# Each run: 2 rounds × {256 KiB, 1 MiB} × {pool-shm, Redis}, 64 MiB per measurement, 32 in flight, 512 MiB dram (never
# fills), as rounds 9–10. Lock budget guard: a run is not started when the time held plus the longest run so far would
# pass BUDGET_S (default 420 s); skipped runs are logged, and the rule counts only complete pairs.
# usage: interleave-r11.sh
set -u
BR=$(cd "$(dirname "$0")/../../.." && pwd)
MAIN=${MAIN:-/work/wt/r11-kv-main}
BUDGET_S=${BUDGET_S:-420}
T0=$(date +%s)
LONGEST=0
COMMON="OICF_SHM_NATIVE=1 KVPOOL_BENCH_ROUNDS=2 KVPOOL_BENCH_SIZES=256,1024 KVPOOL_BENCH_SYSTEMS=pool-shm,redis KVPOOL_BENCH_DRAM_MIB=512"
run_kv() { # side signed pair
  local side=$1 signed=$2 n=$3 dir name env="$COMMON" s e
  name=kv-pool-r11-default-$signed-$side-pair$n
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
for signed in signed; do
  for n in 1 2 3; do
    if [ $n = 2 ]; then order="b1 m1"; else order="m1 b1"; fi
    for side in $order; do run_kv $side $signed $n; done
  done
done
echo "== held $(( $(date +%s) - T0 )) s"
