// The explorer's charts: Pareto frontiers (goodput per $ against goodput per kW; goodput against TTFT p99)
// and each top configuration on the OI–CF plane. SVG strings from @oicf/plot, self-contained.
import { renderOicfPlane, renderScatterChart, type ScatterPoint } from '@oicf/plot';
import { paretoFrontier } from '../rank/pareto.js';
import type { RankedRow } from '../run/result-file.js';

/** At most this many dominated points are drawn (the best by rank); the frontier is always complete. */
const MAX_POINTS = 400;

function pointOf(r: RankedRow, x: number, y: number): ScatterPoint {
  return { x, y, label: `#${r.rank} ${r.id}` };
}

export interface FrontierChart {
  readonly svg: string;
  readonly frontier: readonly RankedRow[];
}

/** Goodput per $ (x) against goodput per kW (y): both better up and right. */
export function costPowerFrontier(rows: readonly RankedRow[], id: string): FrontierChart {
  const ranked = rows.filter((r) => r.rank !== null && r.objectives.goodputRps > 0);
  const front = paretoFrontier(
    ranked.map((r) => ({ x: r.objectives.goodputPerUsd, y: r.objectives.goodputPerKw })),
  ).map((i) => ranked[i] as RankedRow);
  const frontIds = new Set(front.map((r) => r.index));
  const rest = ranked.filter((r) => !frontIds.has(r.index)).slice(0, MAX_POINTS);
  const svg = renderScatterChart({
    id,
    title: 'Goodput per dollar against goodput per kilowatt',
    subtitle: `${front.length} configurations on the Pareto frontier (up and right is better)`,
    xAxis: { title: 'goodput per $ (requests meeting SLOs per dollar)', unit: 'req/$' },
    yAxis: { title: 'goodput per kW ((req/s) per kW typical power)', unit: 'req/s/kW' },
    series: [
      {
        name: 'other configurations',
        points: rest.map((r) => pointOf(r, r.objectives.goodputPerUsd, r.objectives.goodputPerKw)),
      },
      {
        name: 'Pareto frontier',
        connect: true,
        radius: 5,
        points: front.map((r) => pointOf(r, r.objectives.goodputPerUsd, r.objectives.goodputPerKw)),
      },
    ],
  });
  return { svg, frontier: front };
}

/** Goodput (y, higher better) against TTFT p99 (x, lower better). */
export function latencyFrontier(rows: readonly RankedRow[], id: string): FrontierChart {
  const ranked = rows.filter(
    (r) =>
      r.rank !== null && r.objectives.goodputRps > 0 && r.ttftP99Seconds !== null && Number.isFinite(r.ttftP99Seconds),
  );
  const front = paretoFrontier(
    ranked.map((r) => ({ x: r.ttftP99Seconds as number, y: r.objectives.goodputRps })),
    'min',
    'max',
  ).map((i) => ranked[i] as RankedRow);
  const frontIds = new Set(front.map((r) => r.index));
  const rest = ranked.filter((r) => !frontIds.has(r.index)).slice(0, MAX_POINTS);
  const svg = renderScatterChart({
    id,
    title: 'Goodput against TTFT p99',
    subtitle: `${front.length} configurations on the frontier (up and left is better)`,
    xAxis: { title: 'TTFT p99 (s)', format: 'seconds', scale: 'log' },
    yAxis: { title: 'goodput (requests/s meeting both SLOs)', unit: 'req/s' },
    series: [
      {
        name: 'other configurations',
        points: rest.map((r) => pointOf(r, r.ttftP99Seconds as number, r.objectives.goodputRps)),
      },
      {
        name: 'frontier',
        connect: true,
        radius: 5,
        points: front.map((r) => pointOf(r, r.ttftP99Seconds as number, r.objectives.goodputRps)),
      },
    ],
  });
  return { svg, frontier: front };
}

/** One configuration's prefill and decode points on its devices' OI–CF plane. */
export function configurationPlane(r: RankedRow, plane: RankedRowPlane, id: string): string {
  const kinds = new Map<string, (typeof plane)[number]>();
  for (const p of plane) kinds.set(`${p.deviceId} ×${p.tp}`, p);
  return renderOicfPlane({
    id,
    title: `#${r.rank ?? '—'} ${r.id}`,
    subtitle: 'per request: capacity footprint over the domain, intensity per device; walls at each point’s batch',
    devices: [...kinds].map(([name, p]) => ({
      name,
      peakFlopsPerSecond: p.peakFlopsPerSecond,
      bandwidthBytesPerSecond: p.bandwidthBytesPerSecond,
      memoryCapacityBytes: p.domainCapacityBytes,
      numConcurrentRequests:
        plane.find((q) => q.phase === 'decode' && `${q.deviceId} ×${q.tp}` === name)?.numConcurrentRequests ?? 1,
    })),
    connect: false,
    series: plane.map((p) => ({
      name: `${p.phase} on ${p.deviceId} ×${p.tp}`,
      connect: false,
      points: [
        {
          capacityFootprintBytes: p.capacityFootprintBytes,
          intensityFlopsPerByte: p.intensityFlopsPerByte,
          label: `${p.phase}, batch ${p.numConcurrentRequests}`,
          numConcurrentRequests: p.numConcurrentRequests,
        },
      ],
    })),
  });
}

export type RankedRowPlane = import('../analytic/screen-types.js').ScreenResult['plane'];
