#!/bin/bash
# usage: dev.sh <variant-name> <window...> -- <fit flags...>
set -e
cd /work/wt/r11-twin
export OICF_SHARED_TRACES=/work/shared/traces
D=$D
ST=bench/results/sim-fidelity-r10-steptime/step-time.json
v=$1; shift
ws=(); while [ "$1" != "--" ] && [ $# -gt 0 ]; do ws+=($1); shift; done; shift || true
for w in "${ws[@]}"; do
  src=/work/main/bench/results/sim-fidelity-$w
  mkdir -p $D/$w/fit $D/$w/judged
  [ -d $D/$w/fit/sim-fidelity-from600 ] || cp -r $src/fit/sim-fidelity-from600 $D/$w/fit/
  [ -d $D/$w/judged/sim-fidelity ] || cp -r $src/judged/sim-fidelity $D/$w/judged/
  ( node --import tsx bench/sim-fidelity.bench.ts --modes a --start-seconds 600 --sim-only --fit-host "$@" --max-requests 300 --step-time-file $ST --host-scheduling per-core --runs-dir $D/$w/fit/sim-fidelity-from600 --host-cost-file $D/$w/host-cost-$v.json --out $D/$w/fit-$v > $D/$w/fit-$v.log 2>&1 &&
  node --import tsx bench/sim-fidelity.bench.ts --modes a,b --sim-only --max-requests 300 --step-time-file $ST --host-scheduling per-core --runs-dir $D/$w/judged/sim-fidelity --host-cost-file $D/$w/host-cost-$v.json --out $D/$w/twin-$v > $D/$w/twin-$v.log 2>&1 ) &
done
wait
