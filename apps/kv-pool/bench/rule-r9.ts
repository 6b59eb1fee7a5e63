// Round 9's rule and goal verdicts (apps/kv-pool/bench/results/kv-pool-r9-rule.md), fixed before the judged run, read
// from its runs `kv-pool-r9-default-<signed>-<m1|b1>-pair<n>.json` (m1: main 96e5ea7, b1: r9-pool; both with
// OICF_SHM_NATIVE=1, interleave-r9.sh). CPU per byte = pool process + client over all rounds (pair-cells.ts).
//   Rule F (keep the fused native GMAC): signed, at 256 KiB and at 1 MiB, (a) summed over the complete pairs b1's
//   pool + client CPU per byte is below m1's, and (b) b1's is below m1's in at least 2 of the 3 pairs. Fewer than 3
//   complete signed pairs at a size (the lock budget guard skipped runs) fails the rule.
//   Goal (issue 11): b1's `pool shm ÷ Redis` ≥ 1.5 in every pair, signed and unsigned, at 256 KiB and 1 MiB.
//   node --import tsx apps/kv-pool/bench/rule-r9.ts [--dir apps/kv-pool/bench/results]
// Verdict (20:01–20:05 UTC): rule F failed at 1 MiB; the change is reverted (kv-pool-r9-rule.md).
import { judgeRound, resultsDir } from './rule-pairs.js';

process.stdout.write(judgeRound(resultsDir(process.argv), 'r9', 'Rule F (keep the fused native GMAC)'));
