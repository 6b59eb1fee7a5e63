import { bytesPerElement } from '../precision.js';
import type {
  ByteBreakdown,
  ConventionOptions,
  ModelSpec,
  OperatorId,
  OperatorRow,
  PrecisionConfig,
} from '../types.js';
import type { StepShape } from './step-shape.js';

/** Everything an operator formula reads. Element counts are converted to bytes here. */
export interface OperatorContext {
  readonly model: ModelSpec;
  readonly options: ConventionOptions;
  readonly shape: StepShape;
  readonly weightBytesPerElement: number;
  readonly kvBytesPerElement: number;
  readonly activationBytesPerElement: number;
  /** Tokens whose K/V attention reads from memory: every attended key when unfused (K/V are
   * written to the cache, then read back), else only the cached prefix/context. */
  readonly numKvReadTokens: number;
  /** Activation elements are counted (fused or unfused). */
  readonly countActivations: boolean;
  readonly unfused: boolean;
}

export function operatorContext(
  model: ModelSpec,
  precision: PrecisionConfig,
  options: ConventionOptions,
  shape: StepShape,
): OperatorContext {
  const unfused = options.activationTraffic === 'unfused';
  return {
    model,
    options,
    shape,
    weightBytesPerElement: bytesPerElement(precision.weights),
    kvBytesPerElement: bytesPerElement(precision.kv),
    activationBytesPerElement: bytesPerElement(precision.activations),
    numKvReadTokens: unfused ? shape.numAttendedKeys : shape.numCachedTokens,
    countActivations: options.activationTraffic !== 'none',
    unfused,
  };
}

/** Per-layer element counts of one operator; operatorRow multiplies by numLayers and bytes/element. */
export interface OperatorElements {
  readonly flops: number;
  readonly weightElements?: number;
  readonly kvReadElements?: number;
  readonly kvWriteElements?: number;
  /** Activation elements read and written when activation traffic is counted at all. */
  readonly activationElements?: number;
  /** Extra activation elements only an unfused execution moves (score matrix, elementwise ops). */
  readonly unfusedActivationElements?: number;
}

export function operatorRow(
  ctx: OperatorContext,
  operator: OperatorId,
  numLayers: number,
  elements: OperatorElements,
  /** How many times the per-layer elements repeat; numLayers unless `elements` are totals already. */
  multiplier: number = numLayers,
): OperatorRow {
  const activation = ctx.countActivations
    ? (elements.activationElements ?? 0) + (ctx.unfused ? (elements.unfusedActivationElements ?? 0) : 0)
    : 0;
  const kvWrite = ctx.options.countKvWrite ? (elements.kvWriteElements ?? 0) : 0;
  const bytes = byteBreakdown(
    multiplier * (elements.weightElements ?? 0) * ctx.weightBytesPerElement,
    multiplier * (elements.kvReadElements ?? 0) * ctx.kvBytesPerElement,
    multiplier * kvWrite * ctx.kvBytesPerElement,
    multiplier * activation * ctx.activationBytesPerElement,
  );
  const flops = multiplier * elements.flops;
  return {
    operator,
    numLayers,
    flops,
    bytes,
    operationalIntensityFlopsPerByte: intensity(flops, bytes.totalBytes),
  };
}

export function byteBreakdown(
  weightBytes: number,
  kvReadBytes: number,
  kvWriteBytes: number,
  activationBytes: number,
): ByteBreakdown {
  return {
    weightBytes,
    kvReadBytes,
    kvWriteBytes,
    activationBytes,
    totalBytes: weightBytes + kvReadBytes + kvWriteBytes + activationBytes,
  };
}

/** FLOPs per byte; Infinity when FLOPs are moved without bytes, 0 for an empty step. */
export function intensity(flops: number, bytes: number): number {
  if (bytes > 0) return flops / bytes;
  return flops > 0 ? Number.POSITIVE_INFINITY : 0;
}

export function sumBytes(rows: readonly { readonly bytes: ByteBreakdown }[]): ByteBreakdown {
  let weight = 0;
  let kvRead = 0;
  let kvWrite = 0;
  let activation = 0;
  for (const row of rows) {
    weight += row.bytes.weightBytes;
    kvRead += row.bytes.kvReadBytes;
    kvWrite += row.bytes.kvWriteBytes;
    activation += row.bytes.activationBytes;
  }
  return byteBreakdown(weight, kvRead, kvWrite, activation);
}
