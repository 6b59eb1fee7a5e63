// Turns `oicf explore` result files of one hypothesis into what docs/hypotheses.md shows: per labelled run,
// its best design by goodput per $ and by goodput per kW (the twin's figures where it ran), as a Markdown
// table, and every ranked design of every run on one goodput-per-$ / goodput-per-kW chart (SVG).
// `--group <regex>` splits each run by the regex's first capture in the design id (e.g. `kv=(\S+)` for one row
// per KV tier option, `d=\S+ (tp\d+)` per decode TP), in the space's order, so one file answers "the best
// design of each kind".
//
//   node --import tsx packages/explore/scripts/hypothesis-report.ts --svg docs/img/h1-coding.svg \
//     specialised=out/h1/coding-specialised/explore.json all-H100=out/h1/coding-h100/explore.json ...
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderScatterChart } from '@oicf/plot';
import { type ExploreResultFile, type RankedRow, rankedRows } from '../src/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    svg: { type: 'string' },
    title: { type: 'string', default: 'Designs by goodput per $ and per kW' },
    group: { type: 'string' },
    'min-attainment': { type: 'string', default: '0' },
  },
});

const groupRe = values.group === undefined ? undefined : new RegExp(values.group);
const runs = positionals.flatMap((arg) => {
  const at = arg.indexOf('=');
  const label = arg.slice(0, at);
  const file = JSON.parse(readFileSync(arg.slice(at + 1), 'utf8')) as ExploreResultFile;
  const rows = rankedRows(file);
  if (groupRe === undefined) return [{ label, file, rows }];
  const keys = [...new Set([...rows].sort((a, b) => a.index - b.index).map((r) => groupRe.exec(r.id)?.[1] ?? '?'))];
  return keys.map((k) => ({
    label: `${label} ${k}`,
    file,
    rows: rows.filter((r) => (groupRe.exec(r.id)?.[1] ?? '?') === k),
  }));
});

const sig = (x: number | null) => {
  if (x === null || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
};
const secs = (s: number | null) => (s === null ? '—' : s >= 1 ? `${s.toFixed(2)} s` : `${Math.round(s * 1000)} ms`);
const pct = (x: number) => `${Math.round(x * 100)}%`;

type Run = (typeof runs)[number];
const minAttainment = Number(values['min-attainment']);
/** The twin's SLO attainment where it ran, else the screen's estimate. */
const attainmentOf = (run: Run, r: RankedRow) =>
  run.file.simulated.find((s) => s.index === r.index)?.attainment ??
  run.file.screened.find((s) => s.index === r.index)?.estimate?.attainment ??
  0;

/** The best design by `key` among those reaching `--min-attainment`, the twin's figures first. */
function best(run: Run, key: 'goodputPerUsd' | 'goodputPerKw'): RankedRow | undefined {
  const rows = run.rows.filter((r) => r.rank !== null && attainmentOf(run, r) >= minAttainment);
  const simulated = rows.filter((r) => r.stage === 'simulated');
  const pool = simulated.length > 0 ? simulated : rows;
  return [...pool].sort((a, b) => b.objectives[key] - a.objectives[key] || a.index - b.index)[0];
}

const lines: string[] = [];
lines.push(
  '| run | best by | design | stage | $/h | kW | GPUs | goodput (req/s) | attainment | req/$ | req/s/kW | req/s/GPU | tok/J | TTFT p99 | regimes C/B/Cap | KV lived in |',
);
lines.push(
  '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
);
for (const run of runs) {
  for (const key of ['goodputPerUsd', 'goodputPerKw'] as const) {
    const r = best(run, key);
    if (r === undefined) {
      lines.push(
        `| ${run.label} | ${key === 'goodputPerUsd' ? '$' : 'kW'} | (nothing ranked) | | | | | | | | | | | | | |`,
      );
      continue;
    }
    const attainment = attainmentOf(run, r);
    const kv = Object.entries(r.kvTierShares)
      .filter(([, v]) => v >= 0.005)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ');
    lines.push(
      `| ${run.label} | ${key === 'goodputPerUsd' ? '$' : 'kW'} | \`${r.id}\` | ${r.stage === 'simulated' ? 'twin' : 'screen'} | ${r.usdPerHour.toFixed(2)} | ${(r.typicalWatts / 1000).toFixed(1)} | ${r.numAccelerators} | ${sig(r.objectives.goodputRps)} | ${pct(attainment)} | ${sig(r.objectives.goodputPerUsd)} | ${sig(r.objectives.goodputPerKw)} | ${sig(r.objectives.goodputRps / r.numAccelerators)} | ${sig(r.objectives.tokensPerJoule)} | ${secs(r.ttftP99Seconds)} | ${pct(r.regimeMix.compute)}/${pct(r.regimeMix.bandwidth)}/${pct(r.regimeMix.capacity)} | ${kv} |`,
    );
  }
}
lines.push('');
lines.push(
  `Why (best by goodput per $ of each run${minAttainment > 0 ? `, among designs meeting both SLOs for ≥ ${pct(minAttainment)} of requests` : ''}):`,
);
lines.push('');
for (const run of runs) {
  const r = best(run, 'goodputPerUsd');
  if (r !== undefined) lines.push(`- ${run.label}: ${r.why}`);
}
process.stdout.write(`${lines.join('\n')}\n`);

if (values.svg !== undefined) {
  const svg = renderScatterChart({
    id: values.svg.replace(/[^a-z0-9]+/gi, '-'),
    title: values.title,
    subtitle: 'every ranked design; large markers: simulated with the twin',
    xAxis: { title: 'goodput per $ (requests meeting SLOs per dollar)', unit: 'req/$' },
    yAxis: { title: 'goodput per kW ((req/s) per kW)', unit: 'req/s/kW' },
    series: runs
      .flatMap((run) => {
        const ranked = run.rows.filter((r) => r.rank !== null && r.objectives.goodputRps > 0);
        const point = (r: RankedRow) => ({ x: r.objectives.goodputPerUsd, y: r.objectives.goodputPerKw, label: r.id });
        return [
          { name: `${run.label} (twin)`, radius: 6, points: ranked.filter((r) => r.stage === 'simulated').map(point) },
          {
            name: `${run.label} (screen)`,
            radius: 2.5,
            points: ranked
              .filter((r) => r.stage !== 'simulated')
              .slice(0, 300)
              .map(point),
          },
        ];
      })
      .filter((series) => series.points.length > 0),
  });
  writeFileSync(values.svg, svg);
}
