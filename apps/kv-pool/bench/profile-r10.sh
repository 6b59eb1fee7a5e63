#!/usr/bin/env bash
# Round 10's profile of main's pool at 256 KiB signed (results/kv-pool-r10-profile.md), under the caller's hold of
# /work/bench.lock, both processes of pool-shm-cycle.ts (the pool and its same-host client, arena mapped:
# OICF_SHM_NATIVE=1, as rounds 7–9):
#   1. perf-steady.sh (perf record, all threads, user + kernel, 1999 Hz) over cycles 5..CYCLES-1;
#   2. strace -c -f on both processes over cycles 3..STRACE_CYCLES-1 of a second run (syscall counts per block;
#      strace slows both processes, so this run's times and CPU are not figures);
# GC is read from the perf record (perf-parts.ts's GC part: V8's scavenger, marker and sweeper symbols).
# usage: profile-r10.sh <checkout> <out dir>
set -u
root=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
export OICF_SHM_NATIVE=1
echo "== perf start $(date -u +%FT%TZ) load $(cat /proc/loadavg)"
ROOT=$root CYCLES=${CYCLES:-20} "$here/perf-steady.sh" "$out" main-signed --signed
echo "== perf end $(date -u +%FT%TZ) load $(cat /proc/loadavg)"
cd "$root"
sc=${STRACE_CYCLES:-8}
log=$out/cycle-strace.log
node --import tsx apps/kv-pool/bench/pool-shm-cycle.ts --kib=256 --cycles=$sc --into --signed 2>"$log" &
bg=$!
until grep -q "^cycle 2" "$log" 2>/dev/null; do sleep 0.1; done
for p in $bg $(pgrep -P $bg -f "apps/kv-pool/src/main.ts"); do
  role=client; grep -q "kv-pool/src/main.ts" /proc/$p/cmdline && role=pool
  strace -c -f -o "$out/strace-$role.txt" -p "$p" &
done
wait $bg
sleep 0.5
echo "== strace end $(date -u +%FT%TZ) load $(cat /proc/loadavg) (cycles 3..$((sc - 1)) traced: $(( (sc - 3) * 256 )) blocks)"
tail -3 "$log"
