#!/bin/bash
# Development runs (not judged): the split candidate and main's fit (--no-decode-split) on windows 9b and 10's saved
# real runs, window 10's step-time file, per-core.
set -e
cd /work/wt/r10-twin2
export OICF_SHARED_TRACES=/work/shared/traces
D=/tmp/r10-twin2-dev
ST=bench/results/sim-fidelity-r10-steptime/step-time.json
for w in r9b r10; do
  src=/work/main/bench/results/sim-fidelity-$w
  mkdir -p $D/$w/fit $D/$w/judged
  cp -r $src/fit/sim-fidelity-from600 $D/$w/fit/
  cp -r $src/judged/sim-fidelity $D/$w/judged/
  for v in split nosplit; do
    flag=""; [ $v = nosplit ] && flag="--no-decode-split"
    node --import tsx bench/sim-fidelity.bench.ts --modes a --start-seconds 600 --sim-only --fit-host $flag --max-requests 300 --step-time-file $ST --host-scheduling per-core --runs-dir $D/$w/fit/sim-fidelity-from600 --host-cost-file $D/$w/host-cost-$v.json --out $D/$w/fit-$v > $D/$w/fit-$v.log 2>&1
    node --import tsx bench/sim-fidelity.bench.ts --modes a,b --sim-only --max-requests 300 --step-time-file $ST --host-scheduling per-core --runs-dir $D/$w/judged/sim-fidelity --host-cost-file $D/$w/host-cost-$v.json --out $D/$w/twin-$v > $D/$w/twin-$v.log 2>&1
  done
done
