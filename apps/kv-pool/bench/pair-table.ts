// Tables of interleaved kv-pool bench runs (a script, not a test): reads `kv-pool-<tag>-<dram>-<signed>-<side>-pair<n>.json`
// from a results folder and prints, per dram setting and signing, each pair's `pool-shm ÷ Redis` (the bench's median of
// per-round ratios, with its range) and CPU per byte moved over ALL rounds (pool process + client, from the run's
// per-round samples: Σ CPU seconds ÷ Σ 2 × 64 MiB; the pool's /proc figure has 10 ms ticks, so a single round's
// median moves in steps of 0.075 ns/B at 128 MiB, and the sum over five rounds in steps of 0.015).
//   node --import tsx apps/kv-pool/bench/pair-table.ts --tag r7 --sides m0,m1,b1 [--dir apps/kv-pool/bench/results]
//   node --import tsx apps/kv-pool/bench/pair-table.ts --tag r7b --sides m0,b2 --candidate b2 --mapped-base none
import { type Cell, cellOf, loadRun } from './pair-cells.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const DIR = arg('dir', new URL('./results/', import.meta.url).pathname);
const TAG = arg('tag', 'r7');
const SIDES = arg('sides', 'm0,m1,b1').split(',');
const HOLDS = arg('holds', 'default,cap').split(',');
/** The sides the rules compare: the candidate, main's default, and main's mapping (rule K; absent: not judged). */
const CANDIDATE = arg('candidate', 'b1');
const BASE = arg('base', 'm0');
const MAPPED_BASE = arg('mapped-base', 'm1');
const SIZES = [256 * 1024, 1024 * 1024];
const load = (hold: string, signed: string, side: string, pair: number) => loadRun(DIR, TAG, hold, signed, side, pair);

const f = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
for (const hold of HOLDS) {
  for (const signed of ['unsigned', 'signed']) {
    const out: string[] = [
      `### ${hold === 'cap' ? 'pool at capacity (KVPOOL_BENCH_DRAM_MIB=128)' : 'bench default (4 GiB dram, never fills)'}, ${signed}`,
      '',
      `| pair | block | ${SIDES.map((s) => `${s} shm÷Redis (min–max)`).join(' | ')} | ${SIDES.map((s) => `${s} CPU ns/B pool + client = sum`).join(' | ')} | load before (${SIDES.join(' / ')}) |`,
      `| ---: | ---: | ${SIDES.map(() => '---:').join(' | ')} | ${SIDES.map(() => '---:').join(' | ')} | --- |`,
    ];
    for (const pair of [1, 2, 3]) {
      for (const size of SIZES) {
        const cells = SIDES.map((s) => {
          const run = load(hold, signed, s, pair);
          return run === undefined ? undefined : cellOf(run, size);
        });
        const ratio = cells.map((c) => (c === undefined ? '—' : `${f(c.ratio)} (${f(c.range[0])}–${f(c.range[1])})`));
        const cpu = cells.map((c) =>
          c === undefined
            ? '—'
            : `${f3(c.serverNsPerByte)} + ${f3(c.clientNsPerByte)} = ${f3(c.serverNsPerByte + c.clientNsPerByte)}`,
        );
        const loads = cells.map((c) => (c === undefined ? '—' : String(c.loadBefore))).join(' / ');
        out.push(`| ${pair} | ${size / 1024} KiB | ${ratio.join(' | ')} | ${cpu.join(' | ')} | ${loads} |`);
      }
    }
    process.stdout.write(`${out.join('\n')}\n\n`);
  }
}

// The rules of kv-pool-r7-pool.md, fixed before the runs: D (the mapping on by default) and K (keep the one-pass write).
const cell = (hold: string, signed: string, side: string, pair: number, size: number) => {
  const run = load(hold, signed, side, pair);
  return run === undefined ? undefined : cellOf(run, size);
};
const sumNs = (c: Cell | undefined) => (c === undefined ? Number.NaN : c.serverNsPerByte + c.clientNsPerByte);
const failsD: string[] = [];
const failsK: string[] = [];
const goalMisses: string[] = [];
for (const hold of HOLDS) {
  for (const signed of ['unsigned', 'signed']) {
    for (const size of SIZES) {
      let b1Total = 0;
      let m1Total = 0;
      for (const pair of [1, 2, 3]) {
        const [m0, m1, b1] = [BASE, MAPPED_BASE, CANDIDATE].map((s) => cell(hold, signed, s, pair, size));
        const where = `${hold} ${signed} ${size / 1024} KiB pair ${pair}`;
        if (!(sumNs(b1) <= sumNs(m0))) failsD.push(`${where}: CPU ${f3(sumNs(b1))} > main ${f3(sumNs(m0))} ns/B`);
        if (!((b1?.ratio ?? 0) >= 1.5)) {
          failsD.push(`${where}: shm÷Redis ${f(b1?.ratio ?? Number.NaN)} < 1.5`);
          if (hold === 'default') goalMisses.push(`${where}: ${f(b1?.ratio ?? Number.NaN)}`);
        }
        b1Total += sumNs(b1);
        m1Total += sumNs(m1);
      }
      if (MAPPED_BASE !== 'none' && !(b1Total < m1Total))
        failsK.push(`${hold} ${signed} ${size / 1024} KiB: Σ pairs b1 ${f3(b1Total)} ≥ m1 ${f3(m1Total)} ns/B`);
    }
  }
}
process.stdout.write(
  `Rule D / P (mapping on by default, ${CANDIDATE} against ${BASE}): ${failsD.length === 0 ? 'PASSED' : `FAILED in ${failsD.length} cells\n- ${failsD.join('\n- ')}`}\n\n` +
    `Rule K (keep the one-pass write-side hash): ${MAPPED_BASE === 'none' ? 'not judged (no mapped main side)' : failsK.length === 0 ? 'PASSED' : `FAILED\n- ${failsK.join('\n- ')}`}\n\n` +
    `Goal A at the bench default (${CANDIDATE}, every pair ≥ 1.5): ${goalMisses.length === 0 ? 'met' : `not met\n- ${goalMisses.join('\n- ')}`}\n`,
);
