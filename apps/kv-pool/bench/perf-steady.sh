#!/usr/bin/env bash
# A steady-state `perf record` of the pool and its same-host client (round 8's profile, results/kv-pool-r8-profile.md),
# under the caller's hold of /work/bench.lock: pool-shm-cycle.ts (256 KiB blocks, gets into a reused slab, 40 cycles
# of 64 MiB put + get) starts, and once cycle 4 is printed both processes are recorded (all threads, user + kernel,
# 1999 Hz) until they exit, i.e. cycles 5–39 (35 × 256 blocks = 8960 blocks) and the shutdown. JS frames are named
# (--perf-basic-prof). Then: node --import tsx apps/kv-pool/bench/perf-parts.ts <out>/perf-<tag>.data 8960
# usage: perf-steady.sh <out dir> <tag> [--signed]   (env as for the bench, e.g. OICF_SHM_NATIVE=1)
# Round 9: CYCLES=n (default 40: cycles 5..n-1 recorded, (n - 5) × 256 blocks) and ROOT=<checkout> (default this one:
# another worktree, e.g. main's copy, is measured with this script).
set -u
out=$1 tag=$2 signed=${3:-}
mkdir -p "$out"
cd "${ROOT:-$(dirname "$0")/../../..}"
cycles=${CYCLES:-40}
log=$out/cycle-$tag.log
NODE_OPTIONS=--perf-basic-prof node --import tsx apps/kv-pool/bench/pool-shm-cycle.ts --kib=256 --cycles=$cycles --into $signed 2>"$log" &
bg=$!
until grep -q "^cycle 4" "$log" 2>/dev/null; do sleep 0.2; done
pids=$(pgrep -f "pool-shm-cycle|apps/kv-pool/src/main.ts" | tr '\n' ',')
perf record -F 1999 -o "$out/perf-$tag.data" -p "${pids%,}" 2>&1 | tail -1 &
perfpid=$!
wait $bg
wait $perfpid
tail -3 "$log"
