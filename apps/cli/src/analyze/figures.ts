import {
  computePrecision,
  type DeviceSpec,
  fitWeightsSharding,
  type KvPlacement,
  type ModelSpec,
  type PrecisionConfig,
  peakFlopsPerSecond,
  type ResolvedConvention,
  type ShardingSpec,
  type Trajectory,
  trajectory,
  type WorkflowSpec,
} from '@oicf/core';
import type { OicfPlaneSpec, PlaneDevice, PlanePoint, PlaneSeries, RooflineSeries, RooflineSpec } from '@oicf/plot';
import { coreCall } from './run-point.js';

/**
 * The pictures `oicf analyze` draws for one focus (model, precision, device
 * list): each workflow's session as a trajectory on the OI–CF plane, with
 * each device's ridge line and capacity wall, and the same points on the
 * roofline. Trajectories are computed on the first device at the decode batch
 * the tables use: a fixed batch, or 'max' (the largest that fits at each
 * point, as the sweep table does). Each point carries its batch (label and
 * table); the wall is drawn for one batch, the fixed one or, under 'max', the
 * smallest batch of any plotted point, so every point that fits at its own
 * batch lies left of the drawn wall. The other devices contribute their lines
 * only. The plane shows decode steps only: prefill runs at batch 1, where the
 * wall would be a different line (prefill is on the roofline).
 */

export interface FigureFocus {
  readonly model: ModelSpec;
  readonly precision: PrecisionConfig;
  readonly precisionId: string;
  /** First = the device the trajectories run on; at most MAX_FIGURE_DEVICES are drawn. */
  readonly devices: readonly DeviceSpec[];
  /** A fixed decode batch, or 'max': the largest that fits at each point (the sweep's default). */
  readonly decodeBatch: number | 'max';
  /** Scale-up domain per device (undefined = one device). */
  readonly shardingFor: (device: DeviceSpec) => ShardingSpec | undefined;
  readonly kvPlacement?: KvPlacement;
  readonly workflows: readonly WorkflowSpec[];
  readonly numTurns: number;
  readonly seed: number;
  readonly convention: ResolvedConvention;
}

export const MAX_FIGURE_DEVICES = 4;

/** 'fit-weights' sharding as the sweep uses it, one device when the device has no scale-up link. */
export function fitWeightsFor(
  model: ModelSpec,
  precision: PrecisionConfig,
): (d: DeviceSpec) => ShardingSpec | undefined {
  return (device) => {
    const spec = fitWeightsSharding(model, device, precision);
    return spec.numDevices > 1 ? spec : undefined;
  };
}

/**
 * The default sweep's pictures show the model and devices that tell the story
 * best (a long-context GQA model; HBM parts against a capacity-rich decode
 * part) when the user restricted nothing; otherwise the user's first model and
 * first devices, in the order given.
 */
export const PREFERRED_FIGURE_MODEL_IDS: readonly string[] = ['llama-3.1-70b'];
export const PREFERRED_FIGURE_DEVICE_IDS: readonly string[] = ['h100', 'mi300x', 'b200', 'lpddr-decode'];

export function pickFigureModel(models: readonly ModelSpec[], userChose: boolean): ModelSpec | undefined {
  if (userChose) return models[0];
  return models.find((m) => PREFERRED_FIGURE_MODEL_IDS.includes(m.id)) ?? models[0];
}

export function pickFigureDevices(devices: readonly DeviceSpec[], userChose: boolean): DeviceSpec[] {
  if (userChose) return devices.slice(0, MAX_FIGURE_DEVICES);
  const preferred = PREFERRED_FIGURE_DEVICE_IDS.flatMap((id) => devices.filter((d) => d.id === id));
  const rest = devices.filter((d) => !preferred.includes(d));
  return [...preferred, ...rest].slice(0, MAX_FIGURE_DEVICES);
}

/** One trajectory per workflow on the focus (first) device. */
export function focusTrajectories(focus: FigureFocus): Trajectory[] {
  const device = focus.devices[0];
  if (!device) return [];
  const sharding = focus.shardingFor(device);
  return focus.workflows.map((workflow) =>
    coreCall(() =>
      trajectory(workflow, focus.model, device, focus.precision, focus.convention.options, {
        decodeBatch: focus.decodeBatch,
        numTurns: focus.numTurns,
        seed: focus.seed,
        ...(sharding ? { sharding } : {}),
        ...(focus.kvPlacement ? { kvPlacement: focus.kvPlacement } : {}),
      }),
    ),
  );
}

/** A device as a domain of N: per-device peak and bandwidth (the ridge), N × capacity (the wall). */
export function planeDevice(device: DeviceSpec, focus: FigureFocus): PlaneDevice {
  const numDevices = focus.shardingFor(device)?.numDevices ?? 1;
  return {
    name: numDevices > 1 ? `${device.id} ×${numDevices}` : device.id,
    peakFlopsPerSecond: peakFlopsPerSecond(device, computePrecision(focus.precision)),
    bandwidthBytesPerSecond: device.memoryBandwidthBytesPerSecond,
    memoryCapacityBytes: numDevices * device.memoryCapacityBytes,
  };
}

export interface ExtraPoint {
  readonly name: string;
  readonly point: PlanePoint;
}

export function planeSpec(focus: FigureFocus, trajectories: readonly Trajectory[], extra?: ExtraPoint): OicfPlaneSpec {
  const decode: PlaneSeries[] = trajectories.map((t, i) => ({
    name: `${focus.workflows[i]?.displayName ?? t.workflowId} (decode)`,
    points: t.points
      .filter((p) => p.phase === 'decode')
      .map((p) => ({
        capacityFootprintBytes: p.capacityFootprintBytes,
        intensityFlopsPerByte: p.operationalIntensityFlopsPerByte,
        label: `turn ${p.turn + 1}, context ${p.contextTokens.toLocaleString('en-US')}, batch ${p.batch}`,
        numConcurrentRequests: p.batch,
      })),
  }));
  const devices = focus.devices.slice(0, MAX_FIGURE_DEVICES);
  const batches = decode.flatMap((s) => s.points.map((p) => p.numConcurrentRequests ?? 1));
  const wallBatch = figureWallBatch(focus.decodeBatch, batches);
  const sessions = `${trajectories.length} session(s) of ≤ ${focus.numTurns} turns on ${devices[0]?.id ?? '—'} (seed ${focus.seed})`;
  return {
    title: `OI–CF plane: ${focus.model.displayName}, ${focus.precisionId}, ${focus.convention.name} convention`,
    subtitle: `${decodeBatchText(focus.decodeBatch, batches)}; wall = domain memory ÷ ${wallBatch}; ${sessions}`,
    devices: devices.map((d) => planeDevice(d, focus)),
    numConcurrentRequests: wallBatch,
    series: [...decode, ...(extra ? [{ name: extra.name, points: [extra.point], connect: false }] : [])],
  };
}

/** The batch the drawn wall stands for: the fixed one, or the smallest of the points' own (see above). */
export function figureWallBatch(decodeBatch: number | 'max', pointBatches: readonly number[]): number {
  if (decodeBatch !== 'max') return decodeBatch;
  return pointBatches.length > 0 ? Math.min(...pointBatches) : 1;
}

/** "Decode batch 16", or "Decode batch: largest that fits per point (4–32, see labels)". */
function decodeBatchText(decodeBatch: number | 'max', batches: readonly number[]): string {
  if (decodeBatch !== 'max') return `Decode batch ${decodeBatch}`;
  if (batches.length === 0) return 'Decode batch: largest that fits per point';
  const min = Math.min(...batches);
  const max = Math.max(...batches);
  return `Decode batch: largest that fits per point (${min === max ? `${min} at each` : `${min}–${max}, see labels`})`;
}

export function rooflineSpec(
  focus: FigureFocus,
  trajectories: readonly Trajectory[],
  extraSeries: readonly RooflineSeries[] = [],
): RooflineSpec {
  const devices = focus.devices.slice(0, MAX_FIGURE_DEVICES);
  const compute = computePrecision(focus.precision);
  const series: RooflineSeries[] = trajectories.map((t, i) => ({
    name: focus.workflows[i]?.displayName ?? t.workflowId,
    points: t.points
      .filter((p) => p.stepSeconds > 0)
      .map((p) => ({
        intensityFlopsPerByte: p.operationalIntensityFlopsPerByte,
        // Predicted FLOP/s per device: the step's FLOPs over its predicted time, shared by the domain.
        flopsPerSecond: p.flops / (p.numDevices * p.stepSeconds),
        label: `turn ${p.turn + 1} ${p.phase}, batch ${p.batch}`,
        kind: 'predicted' as const,
      })),
  }));
  return {
    title: `Roofline: ${focus.model.displayName}, ${focus.precisionId} (${compute} math), ${focus.convention.name} convention`,
    subtitle: `Predicted FLOP/s per device of each turn's prefill and decode on ${devices[0]?.id ?? '—'}; roofs at ${compute} peak`,
    devices: devices.map((d) => ({
      name: d.id,
      peakFlopsPerSecond: peakFlopsPerSecond(d, compute),
      bandwidthBytesPerSecond: d.memoryBandwidthBytesPerSecond,
    })),
    series: [...series, ...extraSeries],
  };
}
