// Round 8: which real events make the slow gaps between tokens (TPOT p90), real vs twin, from saved replay.json files
// (bench/results/sim-fidelity-r8-tpot/README.md). Per decode worker, the client's token times of every request routed
// there are merged into the worker's emissions; a worker stall is an interval between two emissions longer than
// --stall-ms while ≥ 1 sequence was decoding there. Each stall is classed by what the same worker was doing (a local
// prefill of its own: [sent + queue, first token]; a remote request's handoff and first step: [first token − kv
// transfer, second token]; else none seen), and every step is marked by whether its (batch size, short/tiled decode
// graph) was the first of its kind on that worker: the decode worker warmed only the batch-1 graphs before 9242195 (the
// runs this reads; now all up to maxBatch, apps/decode-worker/src/main.ts) and built any other graph and its
// onnxruntime session inside the step that first needs it (packages/kernels/src/runtime/session-cache.ts). Client-side
// inference: chunks that coalesce tokens hide steps; the graph kind is taken as short when every sequence's prompt +
// output stays under --k-tile tokens. No lock needed.
//
//   node --import tsx bench/sim-fidelity-tpot-stalls.ts <replay.json> [<replay.json> …] [--stall-ms 50] [--first-ms 300]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ReplayRequestRecord } from '@oicf/report';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'stall-ms': { type: 'string' }, 'first-ms': { type: 'string' }, 'k-tile': { type: 'string' } },
});
const stallS = Number(values['stall-ms'] ?? 50) / 1e3;
const firstS = Number(values['first-ms'] ?? 300) / 1e3;
const kTile = Number(values['k-tile'] ?? 256);
if (positionals.length === 0) throw new Error('give one or more replay.json files');

interface Req {
  worker: string;
  reason: string;
  sent: number;
  queue: number;
  kv: number;
  inTokens: number;
  outTokens: number;
  /** Client arrival of each chunk: [0] the first token. */
  ts: number[];
}
const overlap = (a: number, b: number, c: number, d: number) => Math.max(0, Math.min(b, d) - Math.max(a, c));

function load(path: string): Req[] {
  const recs = JSON.parse(readFileSync(path, 'utf8')).requests as ReplayRequestRecord[];
  return recs.flatMap((r) => {
    const rt = r.routing;
    const sent = r.sentSeconds;
    if (r.status !== 'ok' || rt === null || rt === undefined || r.ttftSeconds === null || sent === null) return [];
    const ts = [sent + r.ttftSeconds];
    for (const g of r.interTokenSeconds) ts.push((ts.at(-1) as number) + g);
    return [
      {
        worker: rt.decodeWorkerId ?? '?',
        reason: rt.reason ?? '?',
        sent,
        queue: rt.queueSeconds ?? 0,
        kv: rt.kvTransferSeconds ?? 0,
        inTokens: r.numInputTokens,
        outTokens: r.numOutputTokens,
        ts,
      },
    ];
  });
}

function analyse(reqs: Req[]) {
  const classes = new Map<string, { n: number; seconds: number; seqSeconds: number; gaps: number[] }>();
  /** A request's gap > the stall threshold while other requests on its worker got ≥ 2 chunks (not worker-wide). */
  let ownStalls = 0;
  let allStalls = 0;
  const first = { steps: 0, stalls: 0, seconds: 0 };
  const seen = { steps: 0, stalls: 0, seconds: 0 };
  let seqSecondsAll = 0;
  for (const w of [...new Set(reqs.map((q) => q.worker))].sort()) {
    const mine = reqs.filter((q) => q.worker === w);
    const emissions = [...new Set(mine.flatMap((q) => q.ts.slice(1)))].sort((x, y) => x - y);
    const kinds = new Set(['1|short', '1|tiled']); // warmed at start
    let prev = Number.NEGATIVE_INFINITY;
    for (const b of emissions) {
      if (b < prev + 0.005) continue; // a chunk of the same step
      const a = prev;
      prev = b;
      const waiting = mine.filter((q) => (q.ts[1] as number) <= a + 1e-9 && (q.ts.at(-1) as number) >= b - 1e-9);
      const inStep = mine.filter((q) => q.ts.slice(1).some((t) => t >= b && t < b + 0.005));
      const key = `${inStep.length}|${inStep.every((q) => q.inTokens + q.outTokens < kTile) ? 'short' : 'tiled'}`;
      const side = kinds.has(key) ? seen : first;
      kinds.add(key);
      side.steps++;
      if (!Number.isFinite(a) || waiting.length === 0) continue;
      const g = b - a;
      seqSecondsAll += g * waiting.length;
      if (g > firstS) {
        side.stalls++;
        side.seconds += g;
      }
      if (g < stallS) continue;
      const local = mine.some(
        (q) => q.reason.startsWith('local') && overlap(q.sent + q.queue, q.ts[0] as number, a, b) > 0.25 * g,
      );
      const handoff = mine.some(
        (q) =>
          q.reason === 'remote-prefill' &&
          overlap((q.ts[0] as number) - q.kv, q.ts[1] ?? (q.ts[0] as number), a, b) > 0.25 * g,
      );
      const cls = local
        ? 'local prefill on this worker'
        : handoff
          ? 'handoff + first step of a new request'
          : 'none seen';
      const c = classes.get(cls) ?? { n: 0, seconds: 0, seqSeconds: 0, gaps: [] };
      c.n++;
      c.seconds += g;
      c.seqSeconds += g * waiting.length;
      c.gaps.push(g);
      classes.set(cls, c);
    }
    // Per request: its gaps (after the first) > the threshold, and whether the worker stepped others meanwhile.
    for (const q of mine) {
      for (let k = 1; k + 1 < q.ts.length; k++) {
        const a = q.ts[k] as number;
        const b = q.ts[k + 1] as number;
        if (b - a < stallS) continue;
        allStalls++;
        const others = mine.some(
          (o) => o !== q && o.ts.slice(1).filter((t) => t > a + 0.002 && t < b - 0.002).length >= 2,
        );
        if (others) ownStalls++;
      }
    }
  }
  return { classes, first, seen, seqSecondsAll, ownStalls, allStalls };
}

const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(0)} %`;
const ms = (x: number) => `${(x * 1e3).toFixed(0)} ms`;
function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
}
console.log(
  `run | sequence-s waiting | a request's gaps > ${stallS * 1e3} ms: all, with ≥ 2 chunks to others on its worker meanwhile | worker stalls > ${stallS * 1e3} ms by class: n, s, sequence-s (share), p50, p90 | steps of a first-seen (batch, graph): n, stalls > ${firstS * 1e3} ms, s | steps of a seen one: n, stalls, s`,
);
for (const path of positionals) {
  const r = analyse(load(path));
  const cls = [...r.classes.entries()]
    .map(
      ([k, c]) =>
        `${k}: ${c.n}, ${c.seconds.toFixed(1)}, ${c.seqSeconds.toFixed(1)} (${pct(c.seqSeconds, r.seqSecondsAll)}), p50 ${ms(quantile(c.gaps, 0.5))} p90 ${ms(quantile(c.gaps, 0.9))}`,
    )
    .join('; ');
  const f = r.first;
  const s = r.seen;
  console.log(
    `${path} | ${r.seqSecondsAll.toFixed(1)} | ${r.allStalls}, ${r.ownStalls} | ${cls} | ${f.steps}, ${f.stalls} (${pct(f.stalls, f.steps)}), ${f.seconds.toFixed(1)} | ${s.steps}, ${s.stalls} (${((100 * s.stalls) / s.steps).toFixed(1)} %), ${s.seconds.toFixed(1)}`,
  );
}
