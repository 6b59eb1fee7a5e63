// Why a step-time point's repeats fall in two clusters (round 5, issue 12.3): one decode point
// measured in R rounds, each round measuring it once per mode, in rotating order, in one process:
//   reuse          the same runner and the same KV buffer every round (imported once)
//   fresh-kv       the same runner (same sessions); the KV released and imported into a new buffer
//   fresh-session  a new runner (new onnxruntime sessions and arena) and a new KV buffer — what
//                  step-time-repeats.bench.ts does for every repeat of every point
// Each measurement is measure-point.ts's (3 untimed runs, then ≥ 3 timed runs adding up to ≥ 40
// ms; the median of session.run times). Per measurement it records the host's steal time
// (/proc/stat), the CPU the main thread ran on, and where the KV buffer landed (the new anonymous
// mapping in /proc/self/smaps: its address mod 2 MiB and how much of it THP backs). Not a test.
//   flock /work/bench.lock taskset -c 0 node --import tsx packages/kernels/bench/step-time-bimodal.bench.ts \
//     --variant mha --weights fp32 --batch 1 --context 4096 --rounds 8 --out /tmp/x.json
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { median } from '@oicf/core';
import type { WeightPrecision } from '../src/model/config.js';
import type { VariantId } from '../src/model/presets.js';
import { syntheticKv, WARMUP_RUNS } from '../src/roofline/measure-point.js';
import { hostCpuNanos, ownCpuNanos, threadTimes, waitFractions } from '../src/roofline/run-quality.js';
import { sweepConfig } from '../src/roofline/sweep-plan.js';
import { KernelRunner } from '../src/runtime/kernel-runner.js';

const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    variant: { type: 'string', default: 'mha' },
    weights: { type: 'string', default: 'fp32' },
    batch: { type: 'string', default: '1' },
    context: { type: 'string', default: '4096' },
    rounds: { type: 'string', default: '8' },
    modes: { type: 'string', default: 'reuse,fresh-kv,fresh-session' },
    out: { type: 'string' },
  },
});
const config = sweepConfig({ size: 'tiny' }, values.variant as VariantId, values.weights as WeightPrecision);
const batch = Number(values.batch);
const L = Number(values.context);
const rounds = Number(values.rounds);
const modes = (values.modes ?? '').split(',') as Mode[];
type Mode = 'reuse' | 'fresh-kv' | 'fresh-session';

/** Aggregate steal ticks (USER_HZ, 10 ms) from /proc/stat's cpu line (8th value). */
const stealTicks = () => Number(readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/)[8] ?? 0);
/** The CPU the main thread last ran on (/proc/self/stat field 39). */
const lastCpu = () => {
  const s = readFileSync('/proc/self/stat', 'utf8');
  return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[36]);
};
/** Anonymous mappings: start address → { size bytes, AnonHugePages bytes }. */
const mappings = () => {
  const out = new Map<string, { start: bigint; bytes: number; hugeBytes: number }>();
  let cur: { start: bigint; bytes: number; hugeBytes: number } | undefined;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      const start = BigInt(`0x${m[1]}`);
      cur = { start, bytes: Number(BigInt(`0x${m[2]}`) - start), hugeBytes: 0 };
      out.set(m[1], cur);
    } else if (cur && line.startsWith('AnonHugePages:')) cur.hugeBytes = Number(line.split(/\s+/)[1]) * 1024;
  }
  return out;
};

const ids = Array.from({ length: batch }, (_, b) => `s${b}`);
const newRunner = () =>
  new KernelRunner({ config, prefillLogits: 'last', maxTokensPerSequence: L + 2, intraOpNumThreads: 1 });
/** Imports fresh KV for the batch under `prefix`; the new mappings ≥ 1 MiB that appeared. */
const importFresh = (runner: KernelRunner, prefix: string) => {
  const before = mappings();
  for (const [b, id] of ids.entries()) {
    runner.release(prefix + id);
    runner.importKv(prefix + id, 0, syntheticKv(config, L, b), { maxTokens: L + 1 });
  }
  const after = mappings();
  return [...after].filter(([k, v]) => !before.has(k) && v.bytes >= 2 ** 20).map(([, v]) => v);
};
const measure = async (runner: KernelRunner, prefix: string) => {
  const seqs = ids.map((id) => prefix + id);
  const tokens = ids.map((_, b) => (b * 17 + 65) % 256);
  const times: number[] = [];
  const waits: number[] = [];
  const others: number[] = [];
  let total = 0;
  for (let r = 0; r < WARMUP_RUNS + 3 || (total < 0.04 && r < WARMUP_RUNS + 200); r++) {
    const th0 = threadTimes();
    const h0 = hostCpuNanos() ?? 0;
    const o0 = ownCpuNanos();
    const w0 = performance.now();
    const t = (await runner.decodeStep(seqs, tokens)).stats.seconds;
    const wall = (performance.now() - w0) / 1e3;
    const other = ((hostCpuNanos() ?? 0) - h0 - (ownCpuNanos() - o0)) / 1e9 / wall;
    const wait = waitFractions(th0, threadTimes(), wall * 1e9)?.compute ?? Number.NaN;
    for (const s of seqs) runner.truncate(s, L);
    if (r < WARMUP_RUNS) continue;
    times.push(t);
    waits.push(wait);
    others.push(other);
    total += t;
  }
  return { times, waits, others };
};
/**
 * Read rate of working sets of 16 and 64 MiB just before the measurement (buffers of 1s, each read
 * 5 times by Buffer#indexOf of an absent byte — memchr, a read-only stream; the median pass), GB/s.
 */
const probeBufs = [16, 64].map((mib) => Buffer.alloc(mib * 2 ** 20, 1));
const streamProbe = () =>
  probeBufs.map((b) => {
    const rates: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      b.indexOf(0xab);
      rates.push(b.length / ((performance.now() - t0) / 1e3) / 1e9);
    }
    return Number(median(rates).toFixed(2));
  });

const shared = newRunner();
const reuseMaps = importFresh(shared, 'reuse-');
let sessionRunner: KernelRunner | undefined;
const rows: Record<string, unknown>[] = [];
const log = (m: string) => process.stderr.write(`${m}\n`);
log(`${config.id} ${values.weights} decode b${batch} L${L}; reuse buffer: ${JSON.stringify(reuseMaps.map(fmt))}`);
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < modes.length; k++) {
    const mode = modes[(round + k) % modes.length] as Mode;
    let runner = shared;
    let prefix = 'reuse-';
    let maps = reuseMaps;
    if (mode === 'fresh-kv') {
      prefix = 'fresh-';
      maps = importFresh(shared, prefix);
    } else if (mode === 'fresh-session') {
      await sessionRunner?.close();
      sessionRunner = newRunner();
      runner = sessionRunner;
      prefix = 'own-';
      maps = importFresh(runner, prefix);
    }
    const probeGBps = streamProbe();
    const steal0 = stealTicks();
    const t0 = performance.now();
    const { times, waits, others } = await measure(runner, prefix);
    const wall = (performance.now() - t0) / 1e3;
    const row = {
      round,
      mode,
      medianMs: median(times) * 1e3,
      minMs: Math.min(...times) * 1e3,
      runs: times.length,
      probeGBps,
      computeWaitMax: Math.max(...waits),
      otherCoresMedian: median(others),
      stealShare: ((stealTicks() - steal0) / 100 / wall) * 1,
      cpu: lastCpu(),
      kv: maps.map(fmt),
      load: loadavg()[0],
    };
    rows.push(row);
    log(JSON.stringify(row));
  }
}
await sessionRunner?.close();
await shared.close();
if (values.out) writeFileSync(values.out, `${JSON.stringify({ argv, config: config.id, rows })}\n`);

function fmt(m: { start: bigint; bytes: number; hugeBytes: number }) {
  return `${(m.bytes / 2 ** 20).toFixed(1)}MiB@+${Number(m.start % BigInt(2 ** 21)) / 1024}KiB huge ${(m.hugeBytes / 2 ** 20).toFixed(0)}MiB`;
}
