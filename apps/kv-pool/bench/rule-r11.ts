// Round 11's rule H and goal verdict (apps/kv-pool/bench/results/kv-pool-r11-rule.md), fixed before the judged run, read
// from its runs `kv-pool-r11-default-signed-<m1|b1>-pair<n>.json` (m1: main d78c306, b1: r11-kv; interleave-r11.sh).
//   Rule H (keep the burst-only corking): signed 256 KiB, the cell whose puts round 10's corking slowed: (a) b1's
//   pool-shm put throughput (64 MiB ÷ put seconds, mean of the run's rounds) above m1's in at least 2 of the 3 pairs
//   and in the mean over the pairs, and (b) b1's pool + client CPU per byte summed over the pairs at most 5 % above
//   m1's (pair-cells.ts). Fewer than 3 complete pairs fails the rule.
//   Goal (issue 11): b1's `pool shm ÷ Redis` ≥ 1.5 in every pair at 256 KiB and 1 MiB (signed only: unsigned not run).
//   node --import tsx apps/kv-pool/bench/rule-r11.ts [--dir apps/kv-pool/bench/results]
import { cellOf, loadRun, type Run } from './pair-cells.js';
import { resultsDir } from './rule-pairs.js';

const dir = resultsDir(process.argv);
const PAIRS = [1, 2, 3];
const KiB = 1024;
const run = (side: string, pair: number) => loadRun(dir, 'r11', 'default', 'signed', side, pair);
/** Mean over the run's rounds of pool-shm put throughput, GB/s. */
function putGBps(r: Run, size: number): number | undefined {
  const row = r.rows.find((x) => x.blockBytes === size) as
    | { samples: Record<string, Array<{ putSeconds: number }>> }
    | undefined;
  const s = row?.samples['pool-shm'];
  if (s === undefined || s.length === 0) return undefined;
  return s.reduce((a, x) => a + r.method.totalBytesPerMeasurement / x.putSeconds / 1e9, 0) / s.length;
}
const f = (x: number | undefined, d = 3) => (x === undefined ? '—' : x.toFixed(d));
const lines: string[] = [];
const fails: string[] = [];
let complete = 0;
let faster = 0;
let putB = 0;
let putM = 0;
let cpuB = 0;
let cpuM = 0;
for (const pair of PAIRS) {
  const [m1, b1] = [run('m1', pair), run('b1', pair)];
  const [cm, cb] = [m1 && cellOf(m1, 256 * KiB), b1 && cellOf(b1, 256 * KiB)];
  const [pm, pb] = [m1 && putGBps(m1, 256 * KiB), b1 && putGBps(b1, 256 * KiB)];
  if (cm === undefined || cb === undefined || pm === undefined || pb === undefined) {
    lines.push(`signed 256 KiB pair ${pair}: incomplete`);
    continue;
  }
  complete++;
  if (pb > pm) faster++;
  putB += pb / PAIRS.length;
  putM += pm / PAIRS.length;
  const [tb, tm] = [cb.serverNsPerByte + cb.clientNsPerByte, cm.serverNsPerByte + cm.clientNsPerByte];
  cpuB += tb;
  cpuM += tm;
  lines.push(
    `signed 256 KiB pair ${pair}: put GB/s b1 ${f(pb)} vs m1 ${f(pm)}; pool + client b1 ${f(tb)} (pool ${f(cb.serverNsPerByte)}) vs m1 ${f(tm)} (pool ${f(cm.serverNsPerByte)}) ns/B`,
  );
}
lines.push(
  `signed 256 KiB: put GB/s mean b1 ${f(putB)} vs m1 ${f(putM)}, b1 faster in ${faster} of ${complete} pairs; Σ pool + client b1 ${f(cpuB)} vs m1 ${f(cpuM)} ns/B (${f((cpuB / cpuM - 1) * 100, 1)} %)`,
);
if (complete < PAIRS.length) fails.push(`${complete} complete pairs, fewer than ${PAIRS.length}`);
if (faster < 2) fails.push(`b1's puts faster in ${faster} pairs, fewer than 2`);
if (!(putB > putM)) fails.push(`b1's mean put ${f(putB)} GB/s not above m1's ${f(putM)}`);
if (!(cpuB <= cpuM * 1.05)) fails.push(`b1's Σ CPU ${f(cpuB)} ns/B more than 5 % above m1's ${f(cpuM)}`);
const goal: string[] = [];
let met = true;
for (const size of [256 * KiB, 1024 * KiB]) {
  const ratio = (side: string) => PAIRS.map((p) => run(side, p)).map((r) => (r && cellOf(r, size))?.ratio);
  const rb = ratio('b1');
  if (!rb.every((x) => x !== undefined && x >= 1.5)) met = false;
  const put = (side: string) => PAIRS.map((p) => run(side, p)).map((r) => f(r && putGBps(r, size), 2));
  goal.push(
    `signed ${size / KiB} KiB: shm ÷ Redis b1 ${rb.map((x) => f(x)).join(' / ')} (m1 ${ratio('m1')
      .map((x) => f(x))
      .join(' / ')}); put GB/s b1 ${put('b1').join(' / ')} (m1 ${put('m1').join(' / ')})`,
  );
}
process.stdout.write(
  `${lines.join('\n')}\n\nRule H (keep the burst-only corking): ${fails.length === 0 ? 'PASSED' : `FAILED\n- ${fails.join('\n- ')}`}\n\n` +
    `Goal (issue 11), shm ÷ Redis ≥ 1.5 in every pair, signed (unsigned not run), 256 KiB and 1 MiB: ${met ? 'met' : 'not met'}\n- ${goal.join('\n- ')}\n`,
);
