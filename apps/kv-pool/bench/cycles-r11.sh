#!/bin/bash
# Round 11, exploratory (not judged; output in results/kv-pool-r11-explore.txt): put-phase CPU of the pool and its client,
# main (/work/wt/r11-kv-main) and r11-kv, with pool-shm-cycle.ts. Run under flock /work/bench.lock.
for side in m b; do
  if [ $side = b ]; then d=/work/wt/r11-kv; else d=/work/wt/r11-kv-main; fi
  echo "== $side $(date -u +%T) $(cat /proc/loadavg)"
  (cd $d && OICF_SHM_NATIVE=1 timeout 120 node --import tsx apps/kv-pool/bench/pool-shm-cycle.ts --kib=256 --cycles=6 --signed --into --dram-mib=512 2>&1 | grep "cycle\|per cycle\|dram" | cut -c1-400)
done
