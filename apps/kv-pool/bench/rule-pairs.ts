// The kv-pool rounds' keep rule and goal verdicts, shared by rule-r9.ts and rule-r10.ts (each fixed before its judged
// run; only the run files' round tag and the rule's name differ). Reads the runs
// `kv-pool-<round>-default-<signed>-<m1|b1>-pair<n>.json` (m1: main, b1: the candidate; interleave-<round>.sh).
// CPU per byte = pool process + client over all rounds (pair-cells.ts).
//   The rule: signed, at 256 KiB and at 1 MiB, (a) summed over the complete pairs b1's pool + client CPU per byte is
//   below m1's, and (b) b1's is below m1's in at least 2 of the 3 pairs. Fewer than 3 complete signed pairs at a size
//   (the lock budget guard skipped runs) fails the rule.
//   Goal (issue 11): b1's `pool shm ÷ Redis` ≥ 1.5 in every pair, signed and unsigned, at 256 KiB and 1 MiB.
import { type Cell, cellOf, loadRun } from './pair-cells.js';

const PAIRS = [1, 2, 3];
const SIZES = [256 * 1024, 1024 * 1024];

/** The rule's and the goal's verdict as the markdown-ish text the round scripts print. */
export function judgeRound(dir: string, round: string, ruleName: string): string {
  const cell = (signed: string, side: string, pair: number, size: number): Cell | undefined => {
    const run = loadRun(dir, round, 'default', signed, side, pair);
    return run === undefined ? undefined : cellOf(run, size);
  };
  const total = (c: Cell) => c.serverNsPerByte + c.clientNsPerByte;
  const f = (x: number | undefined) => (x === undefined ? 'missing' : x.toFixed(3));
  const fails: string[] = [];
  const lines: string[] = [];
  for (const size of SIZES) {
    const where = `signed ${size / 1024} KiB`;
    let b1Sum = 0;
    let m1Sum = 0;
    let complete = 0;
    let below = 0;
    for (const pair of PAIRS) {
      const [m1, b1] = [cell('signed', 'm1', pair, size), cell('signed', 'b1', pair, size)];
      if (m1 === undefined || b1 === undefined) {
        lines.push(`${where} pair ${pair}: incomplete (m1 ${m1 ? 'ran' : 'missing'}, b1 ${b1 ? 'ran' : 'missing'})`);
        continue;
      }
      complete++;
      if (total(b1) < total(m1)) below++;
      b1Sum += total(b1);
      m1Sum += total(m1);
      lines.push(
        `${where} pair ${pair}: pool + client b1 ${f(total(b1))} (pool ${f(b1.serverNsPerByte)}) vs m1 ${f(total(m1))} (pool ${f(m1.serverNsPerByte)}) ns/B`,
      );
    }
    lines.push(`${where}: Σ pairs b1 ${f(b1Sum)} vs m1 ${f(m1Sum)} ns/B; b1 below m1 in ${below} of ${complete} pairs`);
    if (complete < PAIRS.length) fails.push(`${where}: ${complete} complete pairs, fewer than ${PAIRS.length}`);
    if (!(b1Sum < m1Sum)) fails.push(`${where}: Σ pairs b1 ${f(b1Sum)} not below m1 ${f(m1Sum)} ns/B`);
    if (below < 2) fails.push(`${where}: b1 below m1 in ${below} pairs, fewer than 2`);
  }
  const goal: string[] = [];
  const beside: string[] = [];
  for (const signed of ['signed', 'unsigned']) {
    for (const size of SIZES) {
      const ratios = PAIRS.map((p) => cell(signed, 'b1', p, size)?.ratio);
      const mains = PAIRS.map((p) => cell(signed, 'm1', p, size)?.ratio);
      const cpu = (side: string) =>
        PAIRS.map((p) => {
          const c = cell(signed, side, p, size);
          return c === undefined ? '—' : total(c).toFixed(3);
        }).join(' / ');
      const text = `${signed} ${size / 1024} KiB: shm ÷ Redis b1 ${ratios.map((r) => r?.toFixed(3) ?? '—').join(' / ')} (m1 ${mains.map((r) => r?.toFixed(3) ?? '—').join(' / ')}); pool + client ns/B b1 ${cpu('b1')} (m1 ${cpu('m1')})`;
      beside.push(text);
      if (!ratios.every((r) => r !== undefined && r >= 1.5)) goal.push(text);
    }
  }
  return (
    `${lines.join('\n')}\n\n${ruleName}: ${fails.length === 0 ? 'PASSED' : `FAILED\n- ${fails.join('\n- ')}`}\n\n` +
    `Goal (issue 11), shm ÷ Redis ≥ 1.5 in every pair, signed and unsigned, 256 KiB and 1 MiB: ${goal.length === 0 ? 'met' : 'not met'}\n- ${beside.join('\n- ')}\n`
  );
}

/** `--dir <results>` from argv, else this folder's results/. */
export function resultsDir(argv: readonly string[]): string {
  const i = argv.indexOf('--dir');
  return i >= 0 ? (argv[i + 1] as string) : new URL('./results/', import.meta.url).pathname;
}
