// Round 8: are a real run's long gaps between tokens made at the decode workers or downstream (router relay, SSE,
// the client)? For each real run folder (replay.json + worker-metrics.json), the decode workers' own inter-token
// latency histogram (oicf_decode_inter_token_latency_seconds) and decode/prefill step histograms
// (oicf_decode_step_seconds, by phase) beside the client's gaps (after each request's first), as counts above
// 25 ms … 1 s. Gaps the workers already saw are not the relay's. No lock needed.
//
//   node --import tsx bench/sim-fidelity-itl-server.ts <real run dir> [<real run dir> …]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplayRequestRecord } from '@oicf/report';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}
const EDGES = [0.025, 0.05, 0.1, 0.5, 1];

function tail(m: Record<string, Sample[]>, name: string, keep: (l: Sample['labels']) => boolean) {
  const cum = new Map<string, number>();
  let n = 0;
  for (const [w, samples] of Object.entries(m)) {
    if (!w.startsWith('decode')) continue;
    for (const s of samples) {
      if (!keep(s.labels)) continue;
      if (s.name === `${name}_bucket`) cum.set(s.labels.le as string, (cum.get(s.labels.le as string) ?? 0) + s.value);
      if (s.name === `${name}_count`) n += s.value;
    }
  }
  return { n, above: EDGES.map((e) => n - (cum.get(String(e)) ?? Number.NaN)) };
}

console.log(
  `run | above ${EDGES.map((e) => `${e * 1e3} ms`).join(' / ')}: server ITL (n) | client gaps (n) | decode steps (n) | prefill steps on decode (n)`,
);
for (const dir of process.argv.slice(2)) {
  const m = JSON.parse(readFileSync(join(dir, 'worker-metrics.json'), 'utf8')) as Record<string, Sample[]>;
  const recs = JSON.parse(readFileSync(join(dir, 'replay.json'), 'utf8')).requests as ReplayRequestRecord[];
  const gaps = recs.filter((r) => r.status === 'ok').flatMap((r) => r.interTokenSeconds.slice(1));
  const itl = tail(m, 'oicf_decode_inter_token_latency_seconds', () => true);
  const dec = tail(m, 'oicf_decode_step_seconds', (l) => l.phase === 'decode');
  const pre = tail(m, 'oicf_decode_step_seconds', (l) => l.phase === 'prefill');
  const client = EDGES.map((e) => gaps.filter((g) => g > e).length);
  const f = (t: { n: number; above: number[] }) => `${t.above.join(' / ')} (${t.n})`;
  console.log(`${dir} | ${f(itl)} | ${client.join(' / ')} (${gaps.length}) | ${f(dec)} | ${f(pre)}`);
}
