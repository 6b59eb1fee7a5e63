// The ranked table for the terminal, and the CSV of every configuration.
import { OBJECTIVE_KEYS } from '../analytic/screen-types.js';
import { type ExploreResultFile, type RankedRow, rankedRows } from '../run/result-file.js';
import { regimeText, seconds, sig, tierText } from './format.js';

const OBJECTIVE_TITLES = {
  goodputPerUsd: 'goodput per $',
  goodputPerKw: 'goodput per kW',
  goodputRps: 'goodput',
  tokensPerJoule: 'tokens per joule',
} as const;

function pad(cells: readonly string[][], right: ReadonlySet<number>): string {
  const widths = cells[0]?.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length))) ?? [];
  return cells
    .map((r) =>
      r
        .map((v, c) => (right.has(c) ? v.padStart(widths[c] ?? 0) : v.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The top `limit` ranked rows, a summary of the ranked-out, and the why line of each of the top rows. */
export function renderTable(file: ExploreResultFile, limit: number, whyLimit = 10): string {
  const rows = rankedRows(file);
  const ranked = rows.filter((r) => r.rank !== null);
  const outs = rows.filter((r) => r.rank === null);
  const head = [
    '#',
    'stage',
    'configuration',
    '$/h',
    'kW',
    'goodput/s',
    'req/$',
    'req/s/kW',
    'tok/J',
    'TTFT p99',
    'regimes',
    'KV',
  ];
  const cells = ranked
    .slice(0, limit)
    .map((r) => [
      String(r.rank),
      r.stage === 'simulated' ? 'sim' : 'est',
      r.id,
      r.usdPerHour.toFixed(2),
      (r.typicalWatts / 1000).toFixed(1),
      sig(r.objectives.goodputRps),
      sig(r.objectives.goodputPerUsd),
      sig(r.objectives.goodputPerKw),
      sig(r.objectives.tokensPerJoule),
      seconds(r.ttftP99Seconds),
      regimeText(r.regimeMix),
      tierText(r.kvTierShares),
    ]);
  const lines: string[] = [];
  lines.push(
    `${file.space.name}: ${file.space.numConfigurations} configurations${file.shard ? ` (shard ${file.shard.index}/${file.shard.count}: ${file.screened.length})` : ''}, workload ${file.workload.label} (${file.workload.numRequests} requests, ${sig(file.workload.arrivalRatePerSecond)}/s, decode context ${sig(file.workload.decodeContextTokens)}), SLO TTFT ${seconds(file.slo.ttftSeconds)} TPOT ${seconds(file.slo.tpotSeconds)}, ranked by ${OBJECTIVE_TITLES[file.objective]}${file.interrupted ? ' — INTERRUPTED, partial ranking' : ''}`,
  );
  lines.push('');
  lines.push(pad([head, ...cells], new Set([0, 3, 4, 5, 6, 7, 8, 9])));
  if (ranked.length > limit) lines.push(`… ${ranked.length - limit} more ranked (see explore.csv)`);
  lines.push('');
  lines.push('why:');
  for (const r of ranked.slice(0, whyLimit)) lines.push(`  #${r.rank} ${r.why}`);
  if (outs.length > 0) {
    const byKind = new Map<string, number>();
    for (const r of outs) byKind.set(r.out?.kind ?? '?', (byKind.get(r.out?.kind ?? '?') ?? 0) + 1);
    lines.push('');
    lines.push(
      `ranked out: ${outs.length} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}); e.g. ${outs[0]?.id}: ${outs[0]?.out?.text}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every configuration, ranked first, one row each, full precision. */
export function renderCsv(rows: readonly RankedRow[]): string {
  const header = [
    'rank',
    'index',
    'configuration',
    'stage',
    'usd_per_hour',
    'typical_watts',
    'num_accelerators',
    ...OBJECTIVE_KEYS,
    'ttft_p99_seconds',
    'regime_compute',
    'regime_bandwidth',
    'regime_capacity',
    'kv_tiers',
    'ranked_out',
    'why',
  ];
  const lines = [header.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.rank,
        r.index,
        r.id,
        r.stage,
        r.usdPerHour,
        r.typicalWatts,
        r.numAccelerators,
        ...OBJECTIVE_KEYS.map((k) => r.objectives[k]),
        r.ttftP99Seconds,
        r.regimeMix.compute,
        r.regimeMix.bandwidth,
        r.regimeMix.capacity,
        Object.entries(r.kvTierShares)
          .map(([k, v]) => `${k}:${v.toFixed(4)}`)
          .join(';'),
        r.out?.kind ?? '',
        r.why,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
