// Where mode b's time to first token goes, real vs twin (round 7, issue 12): for each judged real run of a window
// and the twin's run of the same window, the remote prefills' TTFT parts side by side and the FIFO
// counterfactuals of sim-fidelity-ttft-parts-core.ts (which of routing, prefill compute and KV transfer carries
// the difference). Reads the runs' replay.json; writes Markdown.
//
//   node --import tsx bench/sim-fidelity-ttft-parts.ts --real bench/results/sim-fidelity-r7a/judged/sim-fidelity \
//     --twin bench/results/sim-fidelity-r7a/twin/sim-fidelity [--modes a,b] [--out <file.md>]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '@oicf/core';
import type { ReplayRequestRecord } from '@oicf/report';
import { type FifoRequest, fifoReplay, matchedRemote, partStats } from './sim-fidelity-ttft-parts-core.js';

const { values } = parseArgs({
  options: {
    real: { type: 'string' },
    twin: { type: 'string' },
    modes: { type: 'string', default: 'a,b' },
    out: { type: 'string' },
  },
});
if (values.real === undefined || values.twin === undefined)
  throw new RangeError('--real <judged runs folder> and --twin <twin runs folder> are required');
const realDir = values.real;
const twinDir = values.twin;

function records(file: string): ReplayRequestRecord[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { requests: ReplayRequestRecord[] }).requests;
}
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

function summary(ttft: Iterable<number>): string {
  const xs = [...ttft].sort((a, b) => a - b);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return `${f3(percentile(xs, 0.25))} | ${f3(percentile(xs, 0.5))} | ${f3(mean)}`;
}

const lines: string[] = [
  '# Time to first token by part, real vs twin (remote prefills routed alike)',
  '',
  `Real runs: \`${realDir}\`; twin: \`${twinDir}\`. Command: \`node --import tsx bench/sim-fidelity-ttft-parts.ts ${process.argv.slice(2).join(' ')}\`.`,
  '',
  'Parts (seconds, from each record): client = TTFT − the router’s TTFT; queue = the prefill and decode workers’ reported queues;',
  'prefill = compute; transfer = pool fetch + send (handoff ‖ pool put); rest = the router’s TTFT − those three',
  '(admission, pool lookup, messages, and a prefill frame unread while the worker’s thread runs a kernel).',
  '',
];
for (const mode of (values.modes ?? 'a,b').split(',')) {
  const twin = records(join(twinDir, `${mode}-sim`, 'replay.json'));
  const runs = readdirSync(realDir)
    .filter((d) => d.startsWith(`${mode}-real-`))
    .sort();
  for (const run of runs) {
    const real = records(join(realDir, run, 'replay.json'));
    const m = matchedRemote(real, twin);
    lines.push(`## mode ${mode}, ${run}: ${m.size} remote prefills routed alike`, '');
    lines.push('| part | real mean | twin mean | real p50 | twin p50 |', '| --- | ---: | ---: | ---: | ---: |');
    for (const s of partStats(m))
      lines.push(`| ${s.part} | ${f3(s.realMean)} | ${f3(s.twinMean)} | ${f3(s.realP50)} | ${f3(s.twinP50)} |`);
    const sum = (side: 0 | 1, k: 'prefill' | 'transfer') => [...m.values()].reduce((t, p) => t + p[side][k], 0);
    lines.push(
      '',
      `Summed over them, real ÷ twin: prefill compute ${f3(sum(0, 'prefill') / sum(1, 'prefill'))}, transfer ${f3(sum(0, 'transfer') / sum(1, 'transfer'))}.`,
      '',
    );
    // The counterfactuals: every request of the window, each prefill worker a FIFO (service = compute + transfer).
    const byId = new Map(twin.map((r) => [r.requestId, r]));
    const ok = real.filter((r) => r.status === 'ok' && byId.get(r.requestId)?.status === 'ok');
    const svc = (r: ReplayRequestRecord, part: 'both' | 'prefill' | 'transfer') => {
      const g = r.routing;
      const p = g?.prefillSeconds ?? 0;
      const t = g?.kvTransferSeconds ?? 0;
      return part === 'both' ? p + t : part === 'prefill' ? p : t;
    };
    const remote = (r: ReplayRequestRecord | undefined) =>
      r?.routing?.reason === 'remote-prefill' ? (r.routing.prefillWorkerId ?? undefined) : undefined;
    const replay = (route: 'real' | 'twin', service: (r: ReplayRequestRecord, t: ReplayRequestRecord) => number) =>
      fifoReplay(
        ok.map((r): FifoRequest => {
          const t = byId.get(r.requestId) as ReplayRequestRecord;
          return {
            id: r.requestId,
            arrivalSeconds: r.sentSeconds ?? r.scheduledSeconds,
            worker: route === 'real' ? remote(r) : remote(t),
            serviceSeconds: service(r, t),
          };
        }),
      ).values();
    // A request one side did not prefill remotely keeps the other side's service.
    const twinOr = (r: ReplayRequestRecord, t: ReplayRequestRecord, part: 'both' | 'prefill' | 'transfer') =>
      remote(t) !== undefined ? svc(t, part) : svc(r, part);
    const realOr = (r: ReplayRequestRecord, t: ReplayRequestRecord, part: 'both' | 'prefill' | 'transfer') =>
      remote(r) !== undefined ? svc(r, part) : svc(t, part);
    const actual = (rs: readonly ReplayRequestRecord[]) =>
      rs.filter((r) => r.status === 'ok' && remote(r) !== undefined).map((r) => r.ttftSeconds ?? 0);
    lines.push('Remote prefills’ TTFT (s): | p25 | p50 | mean', '| --- | ---: | ---: | ---: |');
    lines.push(`| real, as measured | ${summary(actual(real))} |`);
    lines.push(`| twin, as simulated | ${summary(actual(twin))} |`);
    lines.push(`| FIFO: real routing, real compute + transfer | ${summary(replay('real', (r) => svc(r, 'both')))} |`);
    lines.push(
      `| FIFO: real routing, twin compute + transfer | ${summary(replay('real', (r, t) => twinOr(r, t, 'both')))} |`,
    );
    lines.push(
      `| FIFO: real routing, real compute, twin transfer | ${summary(replay('real', (r, t) => svc(r, 'prefill') + twinOr(r, t, 'transfer')))} |`,
    );
    lines.push(
      `| FIFO: real routing, twin compute, real transfer | ${summary(replay('real', (r, t) => twinOr(r, t, 'prefill') + svc(r, 'transfer')))} |`,
    );
    lines.push(
      `| FIFO: twin routing, twin compute + transfer | ${summary(replay('twin', (_r, t) => svc(t, 'both')))} |`,
    );
    lines.push(
      `| FIFO: twin routing, real compute + transfer | ${summary(replay('twin', (r, t) => realOr(r, t, 'both')))} |`,
    );
    lines.push('');
  }
}
const text = `${lines.join('\n')}\n`;
if (values.out !== undefined) {
  writeFileSync(values.out, text);
  console.log(`wrote ${values.out}`);
} else process.stdout.write(text);
