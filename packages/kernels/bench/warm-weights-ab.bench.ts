/**
 * Step times of the two weight placements side by side in one process: a runner whose sessions embed and prepack
 * their own weights (`embedded`) and one whose sessions map one shared weights file with prepacking off (`file`; see
 * packages/kernels/src/runtime/session-cache.ts). The same model and inputs go to both; each round times one call on
 * each, in alternating order, so load from other processes hits both sides of a pair alike.
 *
 *   node --import tsx packages/kernels/bench/warm-weights-ab.bench.ts [--rounds 25] [--variant gqa] [--aa]
 *
 * `--aa` adds a third runner, a second `embedded` one (`embedded2`), timed in the same rounds (the order of the three
 * rotates): the median ratio embedded2 / embedded is what two identical sides differ by on this host in this run.
 *
 * Points: prefill of 512 new tokens (one sequence, from empty); tiled decode at batch 1 and 16 (context 512 each);
 * short-context decode at batch 1 and 16 (context 64 each). For each point it prints the median step time of each
 * side (onnxruntime run seconds, StepStats.seconds), the median of the per-round ratios file / embedded, the largest
 * |logit difference| between the sides, and this process's CPU seconds for the whole run; one JSON line at the end.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { median } from '@oicf/core';
import { KernelRunner, ownCpuNanos, tinyConfig, type VariantId } from '../src/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '25' },
    variant: { type: 'string', default: 'gqa' },
    aa: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);

/** This process's CPU seconds, all threads, user + system (the roofline's own meter). */
const cpuSeconds = () => ownCpuNanos() / 1e9;

const config = tinyConfig(values.variant as VariantId, { weights: 'fp32', seed: 1, maxPositions: 2048 });
const sides = {
  embedded: new KernelRunner({ config, maxTokensPerSequence: 1024, weights: 'embedded' }),
  file: new KernelRunner({ config, maxTokensPerSequence: 1024, weights: 'file' }),
  embedded2: new KernelRunner({ config, maxTokensPerSequence: 1024, weights: 'embedded' }),
} as const;
type Side = keyof typeof sides;
const SIDES: readonly Side[] = values.aa ? ['embedded', 'file', 'embedded2'] : ['embedded', 'file'];

const BATCH = 16;
const ids = Array.from({ length: BATCH }, (_, i) => `s${i}`);
const prompt = (n: number, salt: number) => Array.from({ length: n }, (_, i) => (i * 31 + salt * 17 + 7) % 256);

interface Point {
  readonly name: string;
  /** Runs one step on `runner` and returns its onnxruntime seconds and logits; leaves the runner as it found it. */
  readonly step: (runner: KernelRunner) => Promise<{ seconds: number; logits: Float32Array }>;
}

function decodePoint(name: string, batch: number, context: number): Point {
  return {
    name,
    step: async (runner) => {
      const seqs = ids.slice(0, batch);
      const out = await runner.decodeStep(
        seqs,
        seqs.map((_, b) => (b * 13 + 5) % 256),
      );
      for (const id of seqs) runner.truncate(id, context);
      return { seconds: out.stats.seconds, logits: out.logits };
    },
  };
}

const points: Point[] = [
  {
    name: 'prefill 512',
    step: async (runner) => {
      const out = await runner.prefill('p', prompt(512, 99));
      runner.release('p');
      return { seconds: out.stats.seconds, logits: out.logits };
    },
  },
  decodePoint('decode b1 ctx512 (tiled)', 1, 512),
  decodePoint('decode b16 ctx512 (tiled)', 16, 512),
  decodePoint('decode b1 ctx64 (short)', 1, 64),
  decodePoint('decode b16 ctx64 (short)', 16, 64),
];

const cpu0 = cpuSeconds();
const t0 = performance.now();
for (const side of SIDES) {
  for (const [i, id] of ids.entries()) await sides[side].prefill(id, prompt(512, i));
}
const results = [];
for (const point of points) {
  if (point.name.includes('ctx64')) for (const side of SIDES) for (const id of ids) sides[side].truncate(id, 64);
  // One untimed step per side first: sessions are created and their pages touched on first use.
  for (const side of SIDES) await point.step(sides[side]);
  const seconds: Record<Side, number[]> = { embedded: [], file: [], embedded2: [] };
  const ratios: number[] = [];
  const aaRatios: number[] = [];
  let maxAbsDiff = 0;
  for (let r = 0; r < rounds; r++) {
    // Two sides: alternate. Three: rotate, then the rotations reversed, so each side takes each slot alike.
    const rotated = SIDES.map((_, i) => SIDES[(i + r) % SIDES.length] as Side);
    const order: readonly Side[] = Math.floor(r / SIDES.length) % 2 === 0 ? rotated : [...rotated].reverse();
    const got: Partial<Record<Side, { seconds: number; logits: Float32Array }>> = {};
    for (const side of order) got[side] = await point.step(sides[side]);
    const e = got.embedded;
    const f = got.file;
    if (e === undefined || f === undefined) throw new Error('a side did not run');
    seconds.embedded.push(e.seconds);
    seconds.file.push(f.seconds);
    ratios.push(f.seconds / e.seconds);
    const e2 = got.embedded2;
    if (e2 !== undefined) {
      seconds.embedded2.push(e2.seconds);
      aaRatios.push(e2.seconds / e.seconds);
    }
    for (let i = 0; i < e.logits.length; i++) {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs((e.logits[i] ?? 0) - (f.logits[i] ?? 0)));
    }
  }
  const row = {
    point: point.name,
    embeddedMs: median(seconds.embedded) * 1000,
    fileMs: median(seconds.file) * 1000,
    medianRatio: median(ratios),
    maxAbsLogitDiff: maxAbsDiff,
    ...(values.aa ? { embedded2Ms: median(seconds.embedded2) * 1000, aaMedianRatio: median(aaRatios) } : {}),
  };
  results.push(row);
  console.log(
    `${row.point}: embedded ${row.embeddedMs.toFixed(2)} ms, file ${row.fileMs.toFixed(2)} ms, ` +
      `median ratio file/embedded ${row.medianRatio.toFixed(3)}, max |Δlogit| ${row.maxAbsLogitDiff.toExponential(2)}` +
      (row.aaMedianRatio !== undefined
        ? `; embedded2 ${row.embedded2Ms?.toFixed(2)} ms, A/A median ratio embedded2/embedded ${row.aaMedianRatio.toFixed(3)}`
        : ''),
  );
}
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds() - cpu0;
const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`${rounds} rounds: ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (load ${loadAverage})`);
console.log(
  JSON.stringify({ variant: values.variant, rounds, wallSeconds: wall, cpuSeconds: cpu, loadAverage, results }),
);
for (const runner of Object.values(sides)) await runner.close();
