import { resolveConvention } from '../conventions/presets.js';
import { OicfCoreError, requireNumber } from '../errors.js';
import { kvBytesPerToken, weightBytes } from '../models/parameters.js';
import type { EfficiencyFactors, PointQuery, PointResult } from '../types.js';
import { batchMaxFromBytes } from './batch-max.js';
import { evaluateStep, type StepEnv } from './evaluate-step.js';
import { attainableFlopsPerSecond, classifyRegime, mbu, mfu } from './roofline.js';
import { shardPlan } from './sharding.js';
import { decodeShape, prefillShape, type StepShape, uniformShape } from './step-shape.js';

/** FLOPs, bytes, OI, CF, regime, batch limit and predicted time of one step (docs/oicf.md).
 * Throws OicfCoreError (INVALID_ARGUMENT, naming the field) for out-of-contract numbers. */
export function analyzePoint(query: PointQuery): PointResult {
  return analyzePointWith(query, true);
}

/** analyzePoint; `withBatchMaxAttainable` false skips the second evaluation at batchMax (its
 * field is then NaN), for sweeps that do not report it. */
export function analyzePointWith(query: PointQuery, withBatchMaxAttainable: boolean): PointResult {
  const convention = resolveConvention(query.convention);
  const options = convention.options;
  const efficiency = resolveEfficiency(query.efficiency);
  const workspace = query.workspaceBytesPerRequest ?? 0;
  requireNumber('workspaceBytesPerRequest', workspace, 0);
  if (query.achievedSeconds !== undefined) requirePositive('achievedSeconds', query.achievedSeconds);
  const placement = query.kvPlacement;
  if (placement) requireFraction('kvPlacement.fractionInTier', placement.fractionInTier);

  const shape = buildShape(query, options);
  const plan = shardPlan(query.model, query.device, query.sharding);
  const env: StepEnv = {
    model: query.model,
    device: query.device,
    precision: query.precision,
    options,
    plan,
    kvPlacement: placement,
    efficiency,
  };
  const ev = evaluateStep(env, shape);

  // Capacity: weights once for the domain, KV of every resident token (replicated where TP must),
  // workspace per request. KV placed in a tier leaves device memory but must fit the tier.
  const batch = shape.batch;
  const n = plan.numDevices;
  const weights = weightBytes(query.model, query.precision);
  const kvPerTokenDomain = kvBytesPerToken(query.model, query.precision) * plan.kvReplication;
  const tierFraction = placement?.fractionInTier ?? 0;
  const residentKv = shape.numResidentTokens * kvPerTokenDomain;
  const tierKv = tierFraction * residentKv;
  const residentBytes = weights + residentKv - tierKv + batch * workspace;
  const capacityBytes = n * query.device.memoryCapacityBytes;
  const tierCapacityBytes = placement ? n * placement.tier.capacityBytes : Number.POSITIVE_INFINITY;
  const fits = residentBytes <= capacityBytes && tierKv <= tierCapacityBytes;

  const meanResidentTokens = shape.numResidentTokens / batch;
  const kvPerRequest = meanResidentTokens * kvPerTokenDomain;
  const batchMaxDevice = batchMaxFromBytes({
    weightBytes: weights,
    bytesPerRequest: kvPerRequest * (1 - tierFraction) + workspace,
    capacityBytes,
  });
  const batchMaxTier =
    tierFraction > 0 && kvPerRequest > 0
      ? Math.floor(tierCapacityBytes / (tierFraction * kvPerRequest))
      : Number.POSITIVE_INFINITY;
  const batchMax = Math.min(batchMaxDevice, batchMaxTier);

  const oi = ev.operationalIntensityFlopsPerByte;
  const attainable = attainableFlopsPerSecond(ev.peakFlopsPerSecond, ev.memoryBandwidthBytesPerSecond, oi);
  const seconds = query.achievedSeconds ?? ev.stepSeconds;
  const domainBytes = ev.bytesPerDevice * n;

  return {
    convention: convention.name,
    conventionOptions: options,
    modelId: query.model.id,
    deviceId: query.device.id,
    precision: query.precision,
    phase: shape.phase,
    batch,
    numNewTokens: shape.numNewTokens,
    contextTokens: shape.contextTokens,
    numDevices: n,
    flops: ev.flops,
    bytes: ev.bytes,
    flopsPerDevice: ev.flops / n,
    bytesPerDevice: ev.bytesPerDevice,
    operationalIntensityFlopsPerByte: oi,
    capacityFootprint: {
      weightShareBytes: weights / batch,
      kvBytes: kvPerRequest,
      workspaceBytes: workspace,
      totalBytes: weights / batch + kvPerRequest + workspace,
    },
    residentBytes,
    capacityBytes,
    fits,
    batchMax,
    ridgeFlopsPerByte: ev.ridgeFlopsPerByte,
    regime: classifyRegime(fits, oi, ev.ridgeFlopsPerByte),
    peakFlopsPerSecond: ev.peakFlopsPerSecond,
    memoryBandwidthBytesPerSecond: ev.memoryBandwidthBytesPerSecond,
    attainableFlopsPerSecond: attainable,
    attainableFlopsPerSecondAtBatchMax: withBatchMaxAttainable
      ? attainableAt(env, shape, batchMax, attainable)
      : Number.NaN,
    predicted: {
      computeSeconds: ev.computeSeconds,
      memorySeconds: ev.memorySeconds,
      communicationSeconds: ev.communicationSeconds,
      stepSeconds: ev.stepSeconds,
      bound: ev.computeSeconds >= ev.memorySeconds ? 'compute' : 'memory',
    },
    mfu: mfu(ev.flops, seconds, ev.peakFlopsPerSecond * n),
    mbu: mbu(domainBytes, seconds, ev.memoryBandwidthBytesPerSecond * n),
    communicationBytesPerDevice: ev.communicationBytesPerDevice,
    operators: ev.rows,
  };
}

function buildShape(query: PointQuery, options: StepEnv['options']): StepShape {
  if (query.phase === 'prefill') {
    requireNumber('batch', query.batch, 1, true);
    requireNumber('newTokens', query.newTokens, 1, true);
    return prefillShape(query.batch, query.newTokens, query.cachedTokens ?? 0, options);
  }
  const contexts = query.contextTokens;
  if (typeof contexts === 'number') {
    const batch = query.batch ?? 1;
    requireNumber('batch', batch, 1, true);
    requireNumber('contextTokens', contexts, 0, true);
    return decodeShape(new Array<number>(batch).fill(contexts), options);
  }
  if (contexts.length === 0) invalid('contextTokens', 'must list at least one sequence');
  if (query.batch !== undefined && query.batch !== contexts.length) {
    invalid('batch', `must equal contextTokens.length (${contexts.length}) when contextTokens is an array`);
  }
  return decodeShape(contexts, options);
}

/** Attainable FLOP/s if the batch were raised (or lowered) to batchMax, same per-sequence shape. */
function attainableAt(env: StepEnv, shape: StepShape, batchMax: number, attainableNow: number): number {
  if (batchMax === shape.batch) return attainableNow;
  if (batchMax < 1) return 0;
  if (!Number.isFinite(batchMax)) return evaluateStep(env, shape).peakFlopsPerSecond;
  const newTokens = shape.numNewTokens / shape.batch;
  const cached = shape.numCachedTokens / shape.batch;
  const ev = evaluateStep(env, uniformShape(shape.phase, batchMax, newTokens, cached, env.options));
  return attainableFlopsPerSecond(
    ev.peakFlopsPerSecond,
    ev.memoryBandwidthBytesPerSecond,
    ev.operationalIntensityFlopsPerByte,
  );
}

function resolveEfficiency(partial: Partial<EfficiencyFactors> | undefined): EfficiencyFactors {
  const compute = partial?.compute ?? 1;
  const memory = partial?.memory ?? 1;
  requireFraction('efficiency.compute', compute, true);
  requireFraction('efficiency.memory', memory, true);
  return { compute, memory };
}

function requireFraction(path: string, value: number, positive = false): void {
  const ok = Number.isFinite(value) && value <= 1 && (positive ? value > 0 : value >= 0);
  if (!ok) invalid(path, `must be in ${positive ? '(0, 1]' : '[0, 1]'}, got ${String(value)}`);
}

function requirePositive(path: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) invalid(path, `must be a finite number > 0, got ${String(value)}`);
}

function invalid(path: string, message: string): never {
  throw new OicfCoreError({ code: 'INVALID_ARGUMENT', message: `${path}: ${message}`, issues: [{ path, message }] });
}
