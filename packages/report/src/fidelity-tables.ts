import { formatPercent, formatSeconds, type TableData } from '@oicf/plot';
import { count } from './emulation-summary.js';
import type { ReplayRun } from './replay-record.js';
import type { ReplaySummary } from './replay-summary.js';
import { NA, orNa } from './report-tables.js';

/**
 * The tables that say how far a replay can be trusted: the reuse figures side by side, what emulation did,
 * and the worker events during the run. Shared by the Markdown and HTML renderers.
 */

/** "tiny-gqa paced as llama-3.1-70b@h100", or the served model alone. */
export function modelLine(run: ReplayRun, s: ReplaySummary): string {
  const targets = s.cluster.emulation?.targets ?? [];
  const asked = run.meta.options.emulate;
  const emulated = targets.length > 0 ? targets.join(', ') : typeof asked === 'string' ? asked : null;
  return emulated === null ? run.meta.model : `${run.meta.model} paced as ${emulated}`;
}

/**
 * The three measured reuse figures, then the ceiling they are read against: what an unlimited prefix cache
 * at the cluster's block size could serve of the requests sent (run.meta.reuseCeiling, from loadgen).
 */
export function reuseTable(s: ReplaySummary): TableData {
  return {
    columns: [
      { header: 'reuse figure' },
      { header: 'ratio', align: 'right' },
      { header: 'hit', align: 'right' },
      { header: 'of', align: 'right' },
      { header: 'counts' },
    ],
    rows: [
      ...s.reuse.map((f) => [
        f.figure,
        orNa(f.ratio, formatPercent),
        orNa(f.numerator, count),
        f.denominator === null ? NA : `${count(f.denominator)} ${f.unit}`,
        f.counts,
      ]),
      ceilingRow(s),
    ],
    caption: 'each figure is defined once in docs/metrics.md (“Reuse figures”); Δ over the run',
  };
}

function ceilingRow(s: ReplaySummary): string[] {
  const c = s.reuseCeiling;
  if (c === null) {
    return ['ceiling', NA, NA, NA, 'not known: the requests sent carry no prefix blocks (or the record predates it)'];
  }
  return [
    `ceiling (${c.blockTokens}-token blocks)`,
    formatPercent(c.ratio),
    count(c.numServedTokens),
    `${count(c.numPromptTokens)} tokens`,
    'prompt tokens an unlimited prefix cache at the cluster’s block size could serve ÷ prompt tokens of every request sent: a bound from the trace, not a measurement (the client figure counts ok requests only)',
  ];
}

export function emulationTable(s: ReplaySummary): TableData {
  const e = s.cluster.emulation;
  return {
    columns: [
      { header: 'phase' },
      { header: 'paced steps', align: 'right' },
      { header: 'underruns', align: 'right' },
      { header: 'underrun share', align: 'right' },
      { header: 'pacing sleep', align: 'right' },
      { header: 'sleep share of step time', align: 'right' },
    ],
    rows:
      e === null || e.byPhase.length === 0
        ? [[NA, NA, NA, NA, NA, NA]]
        : e.byPhase.map((r) => [
            r.phase,
            count(r.pacedSteps),
            count(r.underrunSteps),
            orNa(r.underrunShare, formatPercent),
            formatSeconds(r.sleepSeconds),
            orNa(r.sleepShare, formatPercent),
          ]),
    caption:
      'the workers’ /metrics, Δ over the run: an underrun is a step whose real time on this machine already exceeded the target’s (it ran at this machine’s speed); the sleep share is the part of the phase’s step time that is the target’s pace rather than this machine’s work',
  };
}

export function eventsTable(s: ReplaySummary): TableData {
  const ev = s.events;
  return {
    columns: [
      { header: 'at (s since start)', align: 'right' },
      { header: 'worker' },
      { header: 'event' },
      { header: 'detail' },
    ],
    rows:
      ev === null
        ? [[NA, NA, NA, 'the router does not serve GET /v1/oicf/events']]
        : ev.events.length === 0
          ? [['', '', 'none', 'no worker changed health during the run']]
          : ev.events.map((e) => [e.atSeconds.toFixed(1), e.workerId, e.kind, e.detail]),
    caption:
      ev !== null && ev.numDropped > 0
        ? `the router’s event log, bounded: ${ev.numDropped} earlier event(s) of the run were no longer held`
        : 'the router’s worker event log (also in router.log)',
  };
}

/** Lines a reader must see first: underruns above the threshold, worker trouble. */
export function fidelityWarnings(s: ReplaySummary): string[] {
  const out = [...(s.cluster.emulation?.warnings ?? [])];
  const trouble = (s.events?.events ?? []).filter((e) => e.kind !== 'registered' && e.kind !== 'healthy');
  if (trouble.length > 0) {
    const first = trouble[0] as (typeof trouble)[number];
    out.push(
      `${trouble.length} worker health event(s) during the run (first: ${first.workerId} ${first.kind} at ${first.atSeconds.toFixed(1)} s): see “Worker events”`,
    );
  }
  return out;
}
