// What carries TPOT p90, real vs twin (round 5b, docs/simulation.md § Fidelity): a request's TPOT is the
// mean of its gaps between tokens, the first of which (first token → second) is the decode worker's side of
// the handoff (the KV's arrival and import, the Decode call, the first decode step). For the requests at or
// above each run's TPOT p90, and for all requests: the share of their gap seconds that is the first gap,
// the first gap's median, the other gaps' median, and their output tokens' median. Reads replay.json
// files; no lock needed.
//
//   node --import tsx bench/sim-fidelity-tpot-tail.ts --real <replay.json>[,<replay.json>…] --twin <replay.json>
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ReplayRequestRecord } from '@oicf/report';
import { tpotTail } from './sim-fidelity-tpot-tail-core.js';

const { values } = parseArgs({ options: { real: { type: 'string' }, twin: { type: 'string' } } });
if (values.real === undefined || values.twin === undefined) throw new Error('--real and --twin are required');
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8')).requests as ReplayRequestRecord[];
const runs = [
  ...values.real.split(',').map((p, i) => [`real ${i + 1}`, read(p)] as const),
  ['twin', read(values.twin)] as const,
];
const ms = (s: number) => (s * 1e3).toFixed(1);
console.log(
  'run | TPOT p90 ms | n ≥ p90 | first gap share of gap s (≥ p90 / all) | first gap median ms (≥ p90 / all) | other gaps median ms (≥ p90 / all) | output tokens median (≥ p90 / all) | TPOT p90 without the first gap ms',
);
for (const [name, rs] of runs) {
  const t = tpotTail(rs);
  console.log(
    `${name} | ${ms(t.tpotP90Seconds)} | ${t.tail.n} | ${(t.tail.firstGapShare * 100).toFixed(0)} % / ${(t.all.firstGapShare * 100).toFixed(0)} % | ${ms(t.tail.firstGapMedianSeconds)} / ${ms(t.all.firstGapMedianSeconds)} | ${ms(t.tail.otherGapMedianSeconds)} / ${ms(t.all.otherGapMedianSeconds)} | ${t.tail.outputTokensMedian} / ${t.all.outputTokensMedian} | ${ms(t.tpotP90WithoutFirstGapSeconds)}`,
  );
}
