// The table of bench/warm-graphs-pairs.sh's runs: per pair and arm, the real cluster's TTFT and TPOT percentiles and
// throughput from each run's replay.json (the fidelity bench's real-run records), and the rule's verdict
// (bench/results/warm-graphs-r8/RULE.md). Usage: node --import tsx bench/warm-graphs-table.ts [dir] [pairs]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'bench/results/warm-graphs-r8';
const pairs = Number(process.argv[3] ?? '3');
type Summary = {
  durationSeconds: number;
  byStatus: { ok: number };
  ttft: { p50Seconds: number; p90Seconds: number };
  tpot: { p50Seconds: number; p90Seconds: number; p99Seconds: number };
};
const read = (arm: string, pair: number): Summary | undefined => {
  const file = join(dir, `${arm}-${pair}`, 'sim-fidelity', 'a-real-1', 'replay.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).summary as Summary) : undefined;
};
const ms = (s: number) => (s * 1000).toFixed(1);
console.log('| pair | arm | TTFT p50 / p90 s | TPOT p50 / p90 / p99 ms | ok req/s |');
console.log('| ---: | --- | --- | --- | ---: |');
let lower = 0;
let judged = 0;
for (let p = 1; p <= pairs; p++) {
  const rows: Record<string, Summary | undefined> = { warm1: read('warm1', p), warmall: read('warmall', p) };
  for (const [arm, s] of Object.entries(rows)) {
    if (s === undefined) {
      console.log(`| ${p} | ${arm} | — | — | — |`);
      continue;
    }
    console.log(
      `| ${p} | ${arm} | ${s.ttft.p50Seconds.toFixed(2)} / ${s.ttft.p90Seconds.toFixed(2)} | ${ms(s.tpot.p50Seconds)} / ${ms(s.tpot.p90Seconds)} / ${ms(s.tpot.p99Seconds)} | ${(s.byStatus.ok / s.durationSeconds).toFixed(2)} |`,
    );
  }
  const a = rows.warm1;
  const b = rows.warmall;
  if (a !== undefined && b !== undefined) {
    judged++;
    if (b.tpot.p90Seconds < a.tpot.p90Seconds) lower++;
  }
}
const kept = judged === pairs && lower === pairs;
console.log(
  `\nRule: TPOT p90 with every graph built at start below batch-1-only in every pair: ${lower} of ${pairs} pairs (${judged} complete) → ${kept ? 'met' : 'not met'}`,
);
