// Real vs twin per request, by phase (the round-5 diagnosis, docs/simulation.md § Fidelity): for the
// requests prefilled remotely in both, the mean prefill compute and prefill-queue seconds by prompt size;
// and the gaps between tokens (after the first) by how many sequences shared the decode worker and how many
// remote prefills ran at that moment (both from the records: each request's [first token, end] on its
// decode worker; [sent + queue, + prefill] on its prefill worker). Reads replay.json files; no lock needed.
//
//   node --import tsx bench/sim-fidelity-phases.ts --real <replay.json>[,<replay.json>…] --twin <replay.json>
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ReplayRequestRecord } from '@oicf/report';

const { values } = parseArgs({ options: { real: { type: 'string' }, twin: { type: 'string' } } });
if (values.real === undefined || values.twin === undefined) throw new Error('--real and --twin are required');
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8')).requests as ReplayRequestRecord[];
const reals = values.real.split(',').map(read);
const twin = read(values.twin);
const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};
const remote = (r: ReplayRequestRecord | undefined) => r?.routing?.reason === 'remote-prefill';

console.log('prompt tokens | n | prefill s: real (each run) / twin | prefill queue s: real (first run) / twin');
const byId = reals.map((rs) => new Map(rs.map((r) => [r.requestId, r])));
for (const [lo, hi] of [
  [0, 500],
  [500, 1000],
  [1000, 2000],
  [2000, 4000],
  [4000, 1e9],
] as const) {
  const ids = twin.filter((t) => t.numInputTokens >= lo && t.numInputTokens < hi && remote(t));
  const both = ids.filter((t) => byId.every((m) => remote(m.get(t.requestId))));
  if (both.length === 0) continue;
  const real = byId.map((m) => mean(both.map((t) => m.get(t.requestId)?.routing?.prefillSeconds ?? 0)));
  const q = mean(both.map((t) => byId[0]?.get(t.requestId)?.routing?.queueSeconds ?? 0));
  console.log(
    `${lo}–${hi < 1e9 ? hi : '…'} | ${both.length} | ${real.map((v) => v.toFixed(3)).join(', ')} / ${mean(both.map((t) => t.routing?.prefillSeconds ?? 0)).toFixed(3)} | ${q.toFixed(2)} / ${mean(both.map((t) => t.routing?.queueSeconds ?? 0)).toFixed(2)}`,
  );
}

/** Gaps after the first, keyed by "sequences on the worker (capped 4+), remote prefills running (capped 2+)". */
function gaps(rs: ReplayRequestRecord[]): Map<string, number[]> {
  const decoding = new Map<string, [number, number][]>();
  const prefilling: [number, number][] = [];
  for (const r of rs) {
    const w = r.routing?.decodeWorkerId;
    if (r.status !== 'ok' || w == null || r.sentSeconds === null || r.ttftSeconds === null || r.e2eSeconds === null)
      continue;
    decoding.set(w, [...(decoding.get(w) ?? []), [r.sentSeconds + r.ttftSeconds, r.sentSeconds + r.e2eSeconds]]);
    if (remote(r)) {
      const s = r.sentSeconds + (r.routing?.queueSeconds ?? 0);
      prefilling.push([s, s + (r.routing?.prefillSeconds ?? 0)]);
    }
  }
  const out = new Map<string, number[]>();
  for (const r of rs) {
    const w = r.routing?.decodeWorkerId;
    if (w == null || r.sentSeconds === null || r.ttftSeconds === null) continue;
    let t = r.sentSeconds + r.ttftSeconds;
    r.interTokenSeconds.forEach((g, i) => {
      t += g;
      if (i === 0) return;
      const b = (decoding.get(w) ?? []).filter(([s, e]) => s <= t && t <= e).length;
      const p = prefilling.filter(([s, e]) => s <= t && t <= e).length;
      const key = `${Math.min(b, 4)}${b >= 4 ? '+' : ''} seq, ${Math.min(p, 2)}${p >= 2 ? '+' : ''} prefill`;
      out.set(key, [...(out.get(key) ?? []), g]);
    });
  }
  return out;
}
console.log(
  '\nsequences on the decode worker, remote prefills running | gaps: real n, median ms (each run) | twin n, median ms',
);
const realGaps = reals.map(gaps);
const twinGaps = gaps(twin);
for (const key of [...twinGaps.keys()].sort()) {
  const t = twinGaps.get(key) ?? [];
  const r = realGaps.map((g) => g.get(key) ?? []);
  console.log(
    `${key} | ${r.map((x) => `${x.length}, ${(median(x) * 1e3).toFixed(1)}`).join(' ; ')} | ${t.length}, ${(median(t) * 1e3).toFixed(1)}`,
  );
}
