#!/usr/bin/env bash
# Interleaved pairs of the twin's speed bench: a checkout of main and this branch, run alternately (the order flips
# every pair), each run `node --import tsx bench/sim-speed.bench.ts --block-tokens 512` in its own checkout, its
# results written under a scratch folder (not bench/results). Prints /proc/loadavg before and after every run.
# Hold the bench lock around the whole script, once:
#
#   flock /work/bench.lock bash bench/sim-speed-pairs.sh <main checkout> <branch checkout> [pairs=3] [scratch]
set -euo pipefail
main_dir=$1
branch_dir=$2
pairs=${3:-3}
scratch=${4:-/tmp/sim-speed-pairs}
mkdir -p "$scratch"
run() {
  local label=$1 dir=$2 pair=$3
  echo "== pair $pair $label $(date -u +%H:%M:%S) load $(cat /proc/loadavg)"
  (cd "$dir" && node --import tsx bench/sim-speed.bench.ts --block-tokens 512 --out "$scratch/$label-$pair" | grep -v '^wrote ')
  echo "   after: load $(cat /proc/loadavg)"
}
for ((p = 1; p <= pairs; p++)); do
  if ((p % 2 == 1)); then
    run main "$main_dir" "$p"
    run branch "$branch_dir" "$p"
  else
    run branch "$branch_dir" "$p"
    run main "$main_dir" "$p"
  fi
done
