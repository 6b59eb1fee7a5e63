import type { Distribution } from './distribution.js';
import type { ReuseCeiling, ReuseCeilingResult } from './reuse-ceiling.js';
import type { ScaledTraceStats } from './scaled-stats.js';
import type { TraceStats } from './trace-stats.js';

export interface StatsTableContext {
  readonly source: string;
  readonly format: string;
  readonly numSkippedLines?: number;
}

/**
 * The human-readable report of `oicf trace stats`: a key/value block, a token-length table
 * (mean and nearest-rank percentiles) and the prefix-reuse ceilings. Plain text, aligned columns.
 */
export function formatTraceStatsTable(stats: TraceStats, context: StatsTableContext): string {
  const rate = stats.requestsPerSecond;
  const summary: [string, string][] = [
    ['trace', `${context.source} (${context.format})`],
    ['requests', formatInteger(stats.numRequests)],
    ['sessions', stats.numSessions > 0 ? formatInteger(stats.numSessions) : '-'],
    ['duration', `${formatFixed(stats.durationSeconds, 1)} s`],
    ['rate', rate === undefined ? 'n/a (zero duration)' : `${formatFixed(rate, 3)} req/s`],
    [
      'burstiness',
      stats.interArrivalCv === undefined
        ? 'n/a (fewer than two distinct arrival times)'
        : `${formatFixed(stats.interArrivalCv, 2)} (CV of inter-arrival times; Poisson = 1)`,
    ],
  ];
  if (context.numSkippedLines !== undefined && context.numSkippedLines > 0) {
    summary.push(['skipped', `${formatInteger(context.numSkippedLines)} bad lines`]);
  }
  const out = [alignPairs(summary), '', tokenTable(stats.inputTokens, stats.outputTokens), ''];
  const reuse = stats.prefixReuse;
  if (reuse.available) {
    out.push(
      alignPairs([
        ['prefix reuse', `block-level, ${plural(reuse.numBlocks, 'block')} of ${plural(reuse.blockTokens, 'token')}`],
        ['  infinite cache', formatFixed(reuse.infinite.hitRatio, 3)],
        [`  LRU ${plural(reuse.lru.capacityBlocks, 'block')}`, formatFixed(reuse.lru.hitRatio, 3)],
      ]),
    );
  } else {
    out.push(alignPairs([['prefix reuse', `n/a (${reuse.reason})`]]));
  }
  const scaled = stats.scaled;
  // With both factors 1 (only --block-tokens given) the scaled trace is the trace: only its ceiling is new.
  if (scaled !== undefined && (scaled.inputFactor !== 1 || scaled.outputFactor !== 1))
    out.push('', scaledSection(scaled));
  out.push('', alignPairs(ceilingPairs(stats)));
  return `${out.join('\n')}\n`;
}

function scaledSection(scaled: ScaledTraceStats): string {
  const head = alignPairs([
    [
      'scaled',
      `× ${scaled.inputFactor} input, × ${scaled.outputFactor} output tokens (as oicf replay --token-scale sends them)`,
    ],
    [
      'outputs of 1',
      `${formatInteger(scaled.numOutputsBecameOne)} request${scaled.numOutputsBecameOne === 1 ? '' : 's'} (longer in the trace)`,
    ],
  ]);
  return `${head}\n${tokenTable(scaled.inputTokens, scaled.outputTokens)}`;
}

/** The token-weighted ceilings: at the trace's blocks, and after scaling at its blocks and the cluster's. */
function ceilingPairs(stats: TraceStats): [string, string][] {
  const title = 'prompt tokens an unlimited prefix cache could serve ÷ prompt tokens sent';
  const own = stats.reuseCeiling;
  if (!own.available) return [['reuse ceiling', `n/a (${own.reason})`]];
  const pairs: [string, string][] = [
    ['reuse ceiling', title],
    [`  ${formatInteger(own.blockTokens)}-token blocks (trace)`, ceilingValue(own)],
  ];
  const scaled = stats.scaled;
  if (scaled === undefined) return pairs;
  const factor = scaled.inputFactor === 1 ? '' : `× ${scaled.inputFactor}: `;
  for (const [c, label] of [
    [scaled.ceilingAtTraceBlocks, 'blocks (scaled trace)'],
    [scaled.ceilingAtBlockTokens, 'blocks'],
  ] as const) {
    // Unscaled, the scaled trace's blocks are the trace's own (already shown); a cluster block of that size repeats it.
    if (c === undefined || (scaled.inputFactor === 1 && c === scaled.ceilingAtTraceBlocks)) continue;
    if (c === scaled.ceilingAtBlockTokens && sameBlocks(c, scaled.ceilingAtTraceBlocks)) continue;
    pairs.push(
      c.available
        ? [`  ${factor}${formatInteger(c.blockTokens)}-token ${label}`, ceilingValue(c)]
        : [`  ${factor}${label}`, `n/a (${c.reason})`],
    );
  }
  return pairs;
}

function sameBlocks(a: ReuseCeilingResult, b: ReuseCeilingResult): boolean {
  return a.available && b.available && a.blockTokens === b.blockTokens;
}

function ceilingValue(c: ReuseCeiling): string {
  return `${formatFixed(c.ratio, 3)}  (${formatInteger(c.numServedTokens)} of ${formatInteger(c.numPromptTokens)} tokens)`;
}

function tokenTable(input: Distribution | undefined, output: Distribution | undefined): string {
  const header = ['tokens', 'mean', 'p50', 'p90', 'p99', 'max'];
  const row = (name: string, d: Distribution | undefined): string[] =>
    d === undefined
      ? [name, '-', '-', '-', '-', '-']
      : [
          name,
          formatFixed(d.mean, 1),
          formatInteger(d.p50),
          formatInteger(d.p90),
          formatInteger(d.p99),
          formatInteger(d.max),
        ];
  const rows = [header, row('input', input), row('output', output)];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '))
    .join('\n');
}

function alignPairs(pairs: readonly [string, string][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/** 12031 → "12,031" (en-US grouping, fixed so output does not depend on the machine's locale). */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function formatFixed(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "1 block", "12,000 blocks". */
function plural(n: number, noun: string): string {
  return `${formatInteger(n)} ${noun}${n === 1 ? '' : 's'}`;
}
