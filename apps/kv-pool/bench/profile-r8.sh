#!/usr/bin/env bash
# Round 8's profile of a signed vs an unsigned 256 KiB put+get (apps/kv-pool/bench/results/kv-pool-r8-profile.md), under
# the caller's hold of /work/bench.lock: pool-shm-cycle.ts (gets into a reused slab, as the bench's pool-shm) with the
# pool and the client under --cpu-prof, for each of: arena mapped (OICF_SHM_NATIVE=1, prefaulted) and the default
# (pread/pwrite); then the same without profiler, for CPU per byte from /proc.
# usage: profile-r8.sh <out dir>
set -u
out=$1
mkdir -p "$out"
cd "$(dirname "$0")/../../.."
for native in 1 default; do
  for signed in unsigned signed; do
    flag=""; [ $signed = signed ] && flag="--signed"
    env=""; [ $native = 1 ] && env="OICF_SHM_NATIVE=1"
    dir="$out/prof-$native-$signed"; mkdir -p "$dir"
    echo "== $native $signed profiled start $(date -u +%FT%TZ) load $(cat /proc/loadavg)"
    env $env KVPOOL_BENCH_PROFILE_DIR="$dir" node --cpu-prof --cpu-prof-dir="$dir/client" --import tsx \
      apps/kv-pool/bench/pool-shm-cycle.ts --kib=256 --cycles=12 --into $flag 2>&1 | tail -4
    echo "== $native $signed plain start $(date -u +%FT%TZ) load $(cat /proc/loadavg)"
    env $env node --import tsx apps/kv-pool/bench/pool-shm-cycle.ts --kib=256 --cycles=12 --into $flag 2>&1 | tail -7
  done
done
echo "== end $(date -u +%FT%TZ) load $(cat /proc/loadavg)"
