import { computePrecision, peakFlopsPerSecond } from '../hardware/device-peak.js';
import { bytesPerElement } from '../precision.js';
import type {
  ByteBreakdown,
  ConventionOptions,
  DeviceSpec,
  EfficiencyFactors,
  KvPlacement,
  ModelSpec,
  OperatorRow,
  PrecisionConfig,
} from '../types.js';
import { intensity, sumBytes } from './operator-row.js';
import { operatorRows } from './operators.js';
import { communication, type ShardPlan } from './sharding.js';
import type { StepShape } from './step-shape.js';

/** What stays fixed while a point is evaluated at different batches. */
export interface StepEnv {
  readonly model: ModelSpec;
  readonly device: DeviceSpec;
  readonly precision: PrecisionConfig;
  readonly options: ConventionOptions;
  readonly plan: ShardPlan;
  readonly kvPlacement: KvPlacement | undefined;
  readonly efficiency: EfficiencyFactors;
}

export interface StepEvaluation {
  readonly rows: readonly OperatorRow[];
  /** Whole model (FLOPs are never replicated). */
  readonly flops: number;
  /** Whole model, unsharded. */
  readonly bytes: ByteBreakdown;
  /** Bytes each device moves (KV replicated under TP where kv heads < devices). */
  readonly bytesPerDevice: number;
  readonly operationalIntensityFlopsPerByte: number;
  readonly peakFlopsPerSecond: number;
  /** bytesPerDevice ÷ the time to move them from device memory and the KV tier, nominal rates. */
  readonly memoryBandwidthBytesPerSecond: number;
  readonly computeSeconds: number;
  readonly memorySeconds: number;
  readonly communicationSeconds: number;
  readonly communicationBytesPerDevice: number;
  readonly stepSeconds: number;
  /** (peak · compute efficiency) ÷ (effective bandwidth · memory efficiency). */
  readonly ridgeFlopsPerByte: number;
}

export function evaluateStep(env: StepEnv, shape: StepShape): StepEvaluation {
  const { model, device, precision, options, plan, kvPlacement, efficiency } = env;
  const rows = operatorRows(model, precision, options, shape);
  let flops = 0;
  for (const row of rows) flops += row.flops;
  const bytes = sumBytes(rows);
  const n = plan.numDevices;
  const kvReadPerDevice = bytes.kvReadBytes * plan.kvFractionPerDevice;
  const bytesPerDevice =
    (bytes.weightBytes + bytes.activationBytes) / n + kvReadPerDevice + bytes.kvWriteBytes * plan.kvFractionPerDevice;
  const flopsPerDevice = flops / n;

  // KV read from a slower tier: that share moves at the tier's bandwidth, plus one access latency.
  const tierFraction = kvPlacement?.fractionInTier ?? 0;
  const tierBytes = kvPlacement ? tierFraction * kvReadPerDevice : 0;
  const localBytes = bytesPerDevice - tierBytes;
  const nominalMemorySeconds =
    localBytes / device.memoryBandwidthBytesPerSecond +
    (kvPlacement && tierBytes > 0 ? tierBytes / kvPlacement.tier.bandwidthBytesPerSecond : 0);
  const memoryBandwidthBytesPerSecond =
    nominalMemorySeconds > 0 ? bytesPerDevice / nominalMemorySeconds : device.memoryBandwidthBytesPerSecond;
  const tierLatencySeconds = kvPlacement && tierBytes > 0 ? kvPlacement.tier.latencySeconds : 0;

  const peak = peakFlopsPerSecond(device, computePrecision(precision));
  const computeSeconds = flopsPerDevice / (peak * efficiency.compute);
  const memorySeconds = nominalMemorySeconds / efficiency.memory + tierLatencySeconds;
  const comm = communication(model, plan, shape, bytesPerElement(precision.activations));
  return {
    rows,
    flops,
    bytes,
    bytesPerDevice,
    operationalIntensityFlopsPerByte: intensity(flopsPerDevice, bytesPerDevice),
    peakFlopsPerSecond: peak,
    memoryBandwidthBytesPerSecond,
    computeSeconds,
    memorySeconds,
    communicationSeconds: comm.seconds,
    communicationBytesPerDevice: comm.bytesPerDevice,
    stepSeconds: Math.max(computeSeconds, memorySeconds) + comm.seconds,
    ridgeFlopsPerByte: (peak * efficiency.compute) / (memoryBandwidthBytesPerSecond * efficiency.memory),
  };
}
