// The anchor metrics as a service uses them, whatever names they are exported under: one object whose
// `inc`/`set`/`observe` reach the oicf-named series, the vLLM-named series, or both (`metricNames`). Every
// series a dashboard keys on starts at zero for the served model (counters 0, histograms with empty
// buckets, gauges 0; `finished_reason` for each known reason), so a panel shows 0 rather than "No data"
// before the first request.
import { ANCHORS, type AnchorMetrics, createAnchorMetrics, type NameMode } from './anchors.js';
import type { OicfMetrics } from './registry.js';

/** Which names the anchors are exported under. `both` is the default everywhere (docs/metrics.md). */
export const METRIC_NAMES = ['oicf', 'vllm', 'both'] as const;
export type MetricNames = (typeof METRIC_NAMES)[number];
export const DEFAULT_METRIC_NAMES: MetricNames = 'both';

/** The finish reasons vLLM labels `vllm:request_success_total` with, and the router and decode workers use. */
export const FINISHED_REASONS = ['stop', 'length', 'abort'] as const;

export function nameModes(names: MetricNames): NameMode[] {
  return names === 'both' ? ['oicf', 'vllm'] : [names];
}

type Labels = Partial<Record<string, string | number>>;
export interface AnchorCounter {
  inc(labels: Labels, value?: number): void;
}
export interface AnchorGauge {
  set(labels: Labels, value: number): void;
}
export interface AnchorHistogram {
  observe(labels: Labels, value: number): void;
}

type Anchors = typeof ANCHORS;
export type AnchorSet = {
  readonly [K in keyof Anchors]: Anchors[K]['kind'] extends 'histogram'
    ? AnchorHistogram
    : Anchors[K]['kind'] extends 'gauge'
      ? AnchorGauge
      : AnchorCounter;
};

/**
 * Registers the anchors on `metrics` under the names `names` asks for and returns one fan-out per anchor.
 * With `zeroFor`, every anchor series of that model starts at zero (see the file comment).
 */
export function createAnchorSet(
  metrics: OicfMetrics,
  names: MetricNames,
  zeroFor?: { readonly modelName: string },
): AnchorSet {
  const sets: AnchorMetrics[] = nameModes(names).map((mode) => createAnchorMetrics(metrics, mode));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ANCHORS) as Array<keyof Anchors>) {
    const kind = ANCHORS[key].kind;
    const each = sets.map((s) => s[key]) as unknown[];
    if (kind === 'histogram') {
      const hs = each as AnchorMetrics['timeToFirstTokenSeconds'][];
      out[key] = {
        observe: (labels: Labels, value: number) => {
          for (const h of hs) h.observe(labels, value);
        },
      };
    } else if (kind === 'gauge') {
      const gs = each as AnchorMetrics['numRequestsRunning'][];
      out[key] = {
        set: (labels: Labels, value: number) => {
          for (const g of gs) g.set(labels, value);
        },
      };
    } else {
      const cs = each as AnchorMetrics['promptTokens'][];
      out[key] = {
        inc: (labels: Labels, value = 1) => {
          for (const c of cs) c.inc(labels, value);
        },
      };
    }
  }
  if (zeroFor !== undefined) for (const s of sets) zeroAnchors(s, zeroFor.modelName);
  return out as AnchorSet;
}

/** Creates every anchor series of `modelName` at zero; call it once, when the metrics are made (it sets gauges to 0). */
export function zeroAnchors(anchors: AnchorMetrics, modelName: string): void {
  const model = { model_name: modelName };
  for (const key of Object.keys(ANCHORS) as Array<keyof Anchors>) {
    const spec = ANCHORS[key];
    const metric = anchors[key];
    if (spec.kind === 'histogram') (metric as AnchorMetrics['timeToFirstTokenSeconds']).zero(model);
    else if (spec.kind === 'gauge') (metric as AnchorMetrics['numRequestsRunning']).set(model, 0);
    else if (key === 'requestSuccess') {
      for (const reason of FINISHED_REASONS) {
        (metric as AnchorMetrics['requestSuccess']).inc({ ...model, finished_reason: reason }, 0);
      }
    } else (metric as AnchorMetrics['promptTokens']).inc(model, 0);
  }
}
