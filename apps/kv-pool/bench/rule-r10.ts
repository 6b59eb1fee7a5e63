// Round 10's rule and goal verdicts (apps/kv-pool/bench/results/kv-pool-r10-rule.md), fixed before the judged run, read
// from its runs `kv-pool-r10-default-<signed>-<m1|b1>-pair<n>.json` (m1: main e187847, b1: r10-pool; both with
// OICF_SHM_NATIVE=1, interleave-r10.sh). CPU per byte = pool process + client over all rounds (pair-cells.ts).
//   Rule G (keep the hot-path transport changes): signed, at 256 KiB and at 1 MiB, (a) summed over the complete pairs b1's
//   pool + client CPU per byte is below m1's, and (b) b1's is below m1's in at least 2 of the 3 pairs. Fewer than 3
//   complete signed pairs at a size (the lock budget guard skipped runs) fails the rule.
//   Goal (issue 11): b1's `pool shm ÷ Redis` ≥ 1.5 in every pair, signed and unsigned, at 256 KiB and 1 MiB.
//   node --import tsx apps/kv-pool/bench/rule-r10.ts [--dir apps/kv-pool/bench/results]
import { judgeRound, resultsDir } from './rule-pairs.js';

process.stdout.write(judgeRound(resultsDir(process.argv), 'r10', 'Rule G (keep the hot-path transport changes)'));
