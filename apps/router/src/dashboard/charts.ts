// The dashboard's pictures, drawn with @oicf/plot on the router (the page only swaps them in): the roofline
// and the OI–CF plane with each worker's live prefill and decode points (a trail of its recent positions
// on the plane), TTFT/TPOT and tokens/s over the last minutes, tier occupancy, where prompt KV came from,
// and routing reasons with rejects (429). Log axes only ever widen (sticky ranges), so a point that moves
// on screen moved in the data, not because the axes rescaled.
import {
  type OicfPlaneSpec,
  type PlaneSeries,
  type RooflineSeries,
  renderBarChart,
  renderLineChart,
  renderOicfPlane,
  renderRoofline,
} from '@oicf/plot';
import type { DashboardSnapshot, DashboardState } from './dashboard-state.js';

export interface MachineFigures {
  readonly name: string;
  readonly peakFlopsPerSecond: number;
  readonly bandwidthBytesPerSecond: number;
}

export type DashboardCharts = Readonly<
  Record<'roofline' | 'plane' | 'latency' | 'throughput' | 'tiers' | 'sources' | 'routing', string>
>;

const WIDE = { width: 640, height: 420 } as const;
const SMALL = { width: 640, height: 300 } as const;
const HISTORY_WINDOW_SECONDS = 300;

/** A [min, max] range that only widens, rounded out to whole decades. */
class StickyDecades {
  private range: [number, number] | undefined;

  include(values: readonly number[], pad: number): readonly [number, number] | undefined {
    const finite = values.filter((v) => Number.isFinite(v) && v > 0);
    if (finite.length > 0) {
      const lo = 10 ** Math.floor(Math.log10(Math.min(...finite) / pad));
      const hi = 10 ** Math.ceil(Math.log10(Math.max(...finite) * pad));
      this.range = this.range ? [Math.min(this.range[0], lo), Math.max(this.range[1], hi)] : [lo, hi];
    }
    return this.range;
  }
}

/** Series in one order on every chart (worker id, then prefill before decode), so colours match across charts. */
function byWorkerThenPhase(a: string, b: string): number {
  const [wa, pa] = [a.slice(0, a.lastIndexOf(' ')), a.slice(a.lastIndexOf(' ') + 1)];
  const [wb, pb] = [b.slice(0, b.lastIndexOf(' ')), b.slice(b.lastIndexOf(' ') + 1)];
  return wa === wb ? (pa === pb ? 0 : pa === 'prefill' ? -1 : 1) : wa.localeCompare(wb);
}

export class DashboardCharter {
  private readonly roofX = new StickyDecades();
  private readonly roofY = new StickyDecades();
  private readonly planeX = new StickyDecades();
  private readonly planeY = new StickyDecades();

  constructor(private readonly machine: MachineFigures) {}

  render(s: DashboardSnapshot, state: DashboardState): DashboardCharts {
    return {
      roofline: this.roofline(s, state),
      plane: this.plane(s, state),
      ...timeCharts(s, state),
      tiers: tierChart(s),
      sources: sourceChart(s),
      routing: routingChart(s),
    };
  }

  private roofline(s: DashboardSnapshot, state: DashboardState): string {
    const m = this.machine;
    const ridge = m.peakFlopsPerSecond / m.bandwidthBytesPerSecond;
    const now = new Map<string, RooflineSeries['points']>();
    for (const w of s.workers) {
      for (const phase of ['prefill', 'decode'] as const) {
        const p = w[phase];
        if (p === null || p.flopsPerSecond === null) continue;
        const label = `batch ${p.batch}, ${phase === 'decode' ? 'context' : 'prompt'} ${Math.round(p.contextTokens)}`;
        now.set(`${w.id} ${phase}`, [
          { intensityFlopsPerByte: p.intensityFlopsPerByte, flopsPerSecond: p.flopsPerSecond, label, kind: 'measured' },
        ]);
      }
    }
    // Every series the plane has (empty when idle now), so a worker keeps its colour on both charts.
    const names = new Set([...state.trailsByKey().keys(), ...now.keys()]);
    const series: RooflineSeries[] = [...names].map((name) => ({ name, points: now.get(name) ?? [] }));
    series.sort((a, b) => byWorkerThenPhase(a.name, b.name));
    const points = series.flatMap((x) => x.points);
    const xRange = this.roofX.include([...points.map((p) => p.intensityFlopsPerByte), ridge], 3);
    const yRange = this.roofY.include(
      [...points.map((p) => p.flopsPerSecond), m.peakFlopsPerSecond, m.bandwidthBytesPerSecond * (xRange?.[0] ?? 1)],
      3,
    );
    return renderRoofline({
      ...WIDE,
      id: 'dash-roofline',
      title: 'Roofline: each worker’s last sampled step',
      subtitle: 'OI counted on the graph it ran; FLOP/s = @oicf/core FLOPs ÷ measured step time',
      devices: [m],
      series,
      ...(xRange ? { intensityRange: xRange } : {}),
      ...(yRange ? { flopsRange: yRange } : {}),
    });
  }

  private plane(s: DashboardSnapshot, state: DashboardState): string {
    const m = this.machine;
    const maxKv = Math.max(0, ...s.workers.filter((w) => w.role !== 'prefill').map((w) => w.kvCapacityBytes));
    const device = {
      name: 'worker memory',
      peakFlopsPerSecond: m.peakFlopsPerSecond,
      bandwidthBytesPerSecond: m.bandwidthBytesPerSecond,
      memoryCapacityBytes: s.model.weightBytes + maxKv,
    };
    const series: PlaneSeries[] = [...state.trailsByKey()].map(([key, trail]) => ({
      name: key,
      points: trail.map((p) => ({
        capacityFootprintBytes: p.capacityFootprintBytes,
        intensityFlopsPerByte: p.intensityFlopsPerByte,
        numConcurrentRequests: p.batch,
        label: `batch ${p.batch}, ${key.endsWith('decode') ? 'context' : 'prompt'} ${Math.round(p.contextTokens)} tokens`,
      })),
    }));
    series.sort((a, b) => byWorkerThenPhase(a.name, b.name));
    const points = series.flatMap((x) => x.points);
    const xRange = this.planeX.include([...points.map((p) => p.capacityFootprintBytes), device.memoryCapacityBytes], 2);
    const yRange = this.planeY.include(
      [...points.map((p) => p.intensityFlopsPerByte), m.peakFlopsPerSecond / m.bandwidthBytesPerSecond],
      3,
    );
    const spec: OicfPlaneSpec = {
      ...WIDE,
      id: 'dash-plane',
      title: 'OI–CF plane: each worker’s recent positions',
      subtitle: 'CF: decode (weights + KV) ÷ batch, prefill weights + mean prompt KV; ■ = now',
      devices: [device],
      numConcurrentRequests: 1,
      series,
      ...(xRange ? { footprintRange: xRange } : {}),
      ...(yRange ? { intensityRange: yRange } : {}),
    };
    return renderOicfPlane(spec);
  }
}

function timeCharts(s: DashboardSnapshot, state: DashboardState): Pick<DashboardCharts, 'latency' | 'throughput'> {
  const recent = state.rates().filter((r) => r.atSeconds > s.atSeconds - HISTORY_WINDOW_SECONDS);
  const at = (r: { atSeconds: number }) => r.atSeconds - s.atSeconds;
  const xAxis = { title: 'seconds (0 = now)', range: [-HISTORY_WINDOW_SECONDS, 0] as const };
  const latency = renderLineChart({
    ...SMALL,
    id: 'dash-latency',
    title: 'Mean TTFT and TPOT, per second',
    xAxis,
    yAxis: { title: 'seconds', format: 'seconds' },
    series: [
      {
        name: 'TTFT',
        points: recent.flatMap((r) => (r.ttftMeanSeconds === null ? [] : [{ x: at(r), y: r.ttftMeanSeconds }])),
      },
      {
        name: 'TPOT',
        points: recent.flatMap((r) => (r.tpotMeanSeconds === null ? [] : [{ x: at(r), y: r.tpotMeanSeconds }])),
      },
    ],
    showPoints: false,
  });
  const throughput = renderLineChart({
    ...SMALL,
    id: 'dash-throughput',
    title: 'Tokens per second',
    xAxis,
    yAxis: { title: 'tokens/s', format: 'si' },
    series: [
      { name: 'generated', points: recent.map((r) => ({ x: at(r), y: r.generatedTokensPerSecond })) },
      { name: 'prompt (of finished requests)', points: recent.map((r) => ({ x: at(r), y: r.promptTokensPerSecond })) },
    ],
    showPoints: false,
  });
  return { latency, throughput };
}

function tierChart(s: DashboardSnapshot): string {
  const tiers = s.tiers.length > 0 ? s.tiers : [{ name: 'no tiers yet', usedBytes: 0, capacityBytes: 0 }];
  return renderBarChart({
    ...SMALL,
    id: 'dash-tiers',
    title: 'Tier occupancy',
    subtitle: 'decode workers’ KV memory (their HBM) and the pool’s tiers',
    categories: tiers.map((t) => t.name),
    series: [{ name: 'used', values: tiers.map((t) => (t.capacityBytes > 0 ? t.usedBytes / t.capacityBytes : 0)) }],
    yAxis: { title: 'share of capacity', format: 'percent', range: [0, 1] },
  });
}

function sourceChart(s: DashboardSnapshot): string {
  const by = s.totals.promptTokensBySource;
  const total = by.worker + by.pool + by.none;
  const share = (v: number) => (total > 0 ? v / total : 0);
  const pool = s.pool;
  const poolHit =
    pool && pool.hitBlocks + pool.missBlocks > 0 ? pool.hitBlocks / (pool.hitBlocks + pool.missBlocks) : null;
  return renderBarChart({
    ...SMALL,
    id: 'dash-sources',
    title: 'Prefix reuse: where prompt KV came from',
    subtitle: `Share of ${total} prompt tokens since start${poolHit === null ? '' : `; pool block hit ratio ${(100 * poolHit).toFixed(1)} %`}`,
    categories: ['worker cache', 'pool', 'computed'],
    series: [{ name: 'prompt tokens', values: [share(by.worker), share(by.pool), share(by.none)] }],
    yAxis: { title: 'share of prompt tokens', format: 'percent', range: [0, 1] },
  });
}

function routingChart(s: DashboardSnapshot): string {
  const routed = Object.entries(s.totals.routedByReason).sort(([a], [b]) => a.localeCompare(b));
  const rejected = Object.entries(s.totals.rejectedByReason).sort(([a], [b]) => a.localeCompare(b));
  const rows = [
    ...routed.map(([r, n]) => [`routed: ${r}`, n] as const),
    ...rejected.map(([r, n]) => [`429: ${r}`, n] as const),
  ];
  const shown = rows.length > 0 ? rows : [['no decisions yet', 0] as const];
  return renderBarChart({
    ...SMALL,
    id: 'dash-routing',
    title: 'Routing decisions and rejects (429) by reason',
    subtitle: `HTTP 429 answered: ${s.totals.handledByStatus['429'] ?? 0}`,
    categories: shown.map(([c]) => c),
    series: [{ name: 'requests', values: shown.map(([, n]) => n) }],
    yAxis: { title: 'requests since start' },
  });
}
