import { formatNumber } from '@oicf/plot';
import { emulationTable, eventsTable, fidelityWarnings, modelLine, reuseTable } from './fidelity-tables.js';
import { markdownTable } from './markdown-table.js';
import type { ReplayRun } from './replay-record.js';
import type { ReplaySummary } from './replay-summary.js';
import {
  footprintTable,
  kvLinkTable,
  latencyTable,
  metricsNote,
  overviewTable,
  phaseTable,
  poolTierTable,
  prefixSourceTable,
  rejectsTable,
  routingTable,
  workerReuseTable,
} from './report-tables.js';

/** The Markdown report of one run: the same tables as the HTML page, without the charts. */
export function renderReplayMarkdown(run: ReplayRun, s: ReplaySummary): string {
  const m = run.meta;
  const out: string[] = [
    `# Replay: ${m.label}`,
    '',
    s.interrupted ? '**Interrupted (Ctrl-C): this report covers only the requests started before it.**\n' : '',
    ...fidelityWarnings(s).map((w) => `> **Warning:** ${w}\n`),
    ...runFacts(run, s).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '## Overview',
    '',
    markdownTable(overviewTable(s)),
    '## Latency',
    '',
    markdownTable(latencyTable(s)),
    '## Reuse figures',
    '',
    markdownTable(reuseTable(s)),
    '## Prefix cache',
    '',
    markdownTable(prefixSourceTable(s)),
    markdownTable(poolTierTable(s)),
    markdownTable(workerReuseTable(s)),
    '## KV bytes by link',
    '',
    markdownTable(kvLinkTable(s)),
    '## OI and CF per phase',
    '',
    markdownTable(phaseTable(s)),
    markdownTable(footprintTable(s)),
    ...(s.cluster.emulation === null ? [] : ['## Emulation', '', markdownTable(emulationTable(s))]),
    '## Worker events',
    '',
    markdownTable(eventsTable(s)),
    '## Rejects and errors',
    '',
    markdownTable(rejectsTable(s)),
    '## Routing',
    '',
    markdownTable(routingTable(s)),
    '## Metrics',
    '',
    metricsNote(s),
    '',
  ];
  return out.filter((line, i) => !(line === '' && out[i - 1] === '')).join('\n');
}

/** Key facts about a run, as label/value pairs (trace, target, model, loop, speed, scale, cap, start). */
export function runFacts(run: ReplayRun, s: ReplaySummary): [string, string][] {
  const m = run.meta;
  return [
    ['trace', `\`${m.traceFile}\``],
    [
      'target',
      m.targetKind === 'sim'
        ? 'simulated by the cluster twin (oicf simulate), virtual time'
        : `${m.targetKind === 'cluster' ? 'local cluster launched by the command' : 'running router'} at ${m.routerUrl}`,
    ],
    ['model', modelLine(run, s)],
    [
      'loop',
      m.loop === 'open' ? 'open (recorded arrival times)' : 'closed (per session: previous completion + tool gap)',
    ],
    ['speed', `×${formatNumber(m.speed)} (trace seconds ÷ speed)`],
    ['token scale', `×${formatNumber(m.tokenScale)}`],
    ['concurrency cap', m.concurrencyLimit === null ? 'none' : String(m.concurrencyLimit)],
    ['started', m.targetKind === 'sim' ? 'n/a (simulated)' : m.startedAtIso],
    ['command', `\`${m.commandLine}\``],
  ];
}
