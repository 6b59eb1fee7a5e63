#!/bin/bash
# Round 11, exploratory (not judged; output in results/kv-pool-r11-explore.txt): r11-kv (b) vs main (m), signed 256 KiB, pool-shm + redis,
# 2 rounds each, alternating b m b m. Run under flock /work/bench.lock.
for side in b m b m; do
  if [ $side = b ]; then d=/work/wt/r11-kv; else d=/work/wt/r11-kv-main; fi
  echo "== $side $(date -u +%T) $(cat /proc/loadavg)"
  (cd $d && OICF_SHM_NATIVE=1 KVPOOL_BENCH_SIGNED=1 KVPOOL_BENCH_ROUNDS=2 KVPOOL_BENCH_SIZES=256 KVPOOL_BENCH_SYSTEMS=pool-shm,redis KVPOOL_BENCH_DRAM_MIB=512 KVPOOL_BENCH_RESULT=scratch-explore-$side timeout 200 node --import tsx apps/kv-pool/bench/kv-pool.bench.ts >/dev/null 2>&1; node -e '
const j=require("./apps/kv-pool/bench/results/scratch-explore-'$side'.json"); for (const r of j.rows) { const s=r.samples["pool-shm"], q=r.samples.redis; const MB=64*2**20;
console.log(r.blockBytes/1024+"KiB", "shm÷redis", r.shmOverRedis.toFixed(2), "put GB/s", s.map(x=>(MB/x.putSeconds/1e9).toFixed(2)).join(" "), "get", s.map(x=>(MB/x.getSeconds/1e9).toFixed(2)).join(" "), "redis put", q.map(x=>(MB/x.putSeconds/1e9).toFixed(2)).join(" "), "get", q.map(x=>(MB/x.getSeconds/1e9).toFixed(2)).join(" "), "pool+client ns/B", s.map(x=>((x.serverCpuSeconds+x.clientCpuSeconds)*1e9/(2*MB)).toFixed(2)).join(" ")) }'; rm -f apps/kv-pool/bench/results/scratch-explore-$side.*)
done
