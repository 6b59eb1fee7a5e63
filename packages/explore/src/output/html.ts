// explore.html: a self-contained page (inline SVG, no fetches) with the Pareto frontiers, the ranked table,
// each top configuration on the OI–CF plane with its why line, and the ranked-out configurations.
import { type HtmlSection, renderHtmlPage, type TableData } from '@oicf/plot';
import { type ExploreResultFile, rankedRows } from '../run/result-file.js';
import { configurationPlane, costPowerFrontier, latencyFrontier } from './charts.js';
import { regimeText, seconds, sig, tierText } from './format.js';

export interface HtmlOptions {
  /** Top configurations drawn on their OI–CF plane (default 6). */
  readonly numPlanes?: number;
  /** Rows of the ranked table (default 50). */
  readonly numRows?: number;
}

export function renderExploreHtml(file: ExploreResultFile, options: HtmlOptions = {}): string {
  const rows = rankedRows(file);
  const ranked = rows.filter((r) => r.rank !== null);
  const outs = rows.filter((r) => r.rank === null);
  const screened = new Map(file.screened.map((s) => [s.index, s]));
  const w = file.workload;
  const sections: HtmlSection[] = [];
  sections.push({
    heading: 'Run',
    text: [
      `${file.space.numConfigurations} configurations in space **${file.space.name}**${file.space.description ? ` (${file.space.description})` : ''}; ${file.screened.length} screened, ${file.simulated.length} simulated with the twin, ${outs.length} ranked out.`,
      `Workload ${w.label}: ${w.numRequests} requests over ${sig(w.durationSeconds)} s (${sig(w.arrivalRatePerSecond)}/s, ${w.loop} loop), mean prompt ${sig(w.meanInputTokens)} and output ${sig(w.meanOutputTokens)} tokens, decode context ${sig(w.decodeContextTokens)} tokens.`,
      `SLOs: TTFT ${seconds(file.slo.ttftSeconds)}, TPOT ${seconds(file.slo.tpotSeconds)}; ranked by ${file.objective}. Stage "sim" rows carry the twin's figures, "est" rows the analytic screen's.`,
      file.interrupted ? '**Interrupted: this ranking is partial.**' : '',
      `Command: \`${file.command}\``,
    ]
      .filter((t) => t !== '')
      .join('\n\n'),
  });
  const cp = costPowerFrontier(rows, 'explore-cost-power');
  sections.push({
    heading: 'Pareto frontier: goodput per $ and per kW',
    svg: cp.svg,
    table: frontierTable(cp.frontier),
  });
  const lat = latencyFrontier(rows, 'explore-latency');
  sections.push({ heading: 'Pareto frontier: goodput and TTFT p99', svg: lat.svg, table: frontierTable(lat.frontier) });
  sections.push({
    heading: 'Ranking',
    table: {
      columns: [
        { header: '#', align: 'right' },
        { header: 'stage' },
        { header: 'configuration' },
        { header: '$/h', align: 'right' },
        { header: 'kW', align: 'right' },
        { header: 'goodput/s', align: 'right' },
        { header: 'req/$', align: 'right' },
        { header: 'req/s/kW', align: 'right' },
        { header: 'tok/J', align: 'right' },
        { header: 'TTFT p99', align: 'right' },
        { header: 'regimes' },
        { header: 'KV lived in' },
        { header: 'why' },
      ],
      rows: ranked
        .slice(0, options.numRows ?? 50)
        .map((r) => [
          r.rank ?? '',
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
          r.why,
        ]),
    },
  });
  for (const r of ranked.slice(0, options.numPlanes ?? 6)) {
    const s = screened.get(r.index);
    if (s === undefined || s.plane.length === 0) continue;
    sections.push({
      heading: `#${r.rank} on the OI–CF plane`,
      text: `**Why:** ${r.why}`,
      svg: configurationPlane(r, s.plane, `explore-plane-${r.index}`),
    });
  }
  if (outs.length > 0) {
    sections.push({
      heading: 'Ranked out',
      table: {
        columns: [{ header: 'configuration' }, { header: 'reason' }, { header: 'why' }],
        rows: outs.slice(0, 100).map((r) => [r.id, r.out?.kind ?? '', r.out?.text ?? '']),
      },
    });
  }
  return renderHtmlPage({
    title: `oicf explore: ${file.space.name}`,
    subtitle: `${w.label}, SLO TTFT ${seconds(file.slo.ttftSeconds)} / TPOT ${seconds(file.slo.tpotSeconds)}`,
    sections,
    footer:
      'oicf explore — analytic screen (@oicf/core step times, queueing bounds) then the cluster twin (@oicf/sim).',
  });
}

function frontierTable(rows: readonly import('../run/result-file.js').RankedRow[]): TableData {
  return {
    columns: [
      { header: '#', align: 'right' },
      { header: 'configuration' },
      { header: 'req/$', align: 'right' },
      { header: 'req/s/kW', align: 'right' },
      { header: 'goodput/s', align: 'right' },
      { header: 'TTFT p99', align: 'right' },
    ],
    rows: rows.map((r) => [
      r.rank ?? '',
      r.id,
      sig(r.objectives.goodputPerUsd),
      sig(r.objectives.goodputPerKw),
      sig(r.objectives.goodputRps),
      seconds(r.ttftP99Seconds),
    ]),
  };
}
