// One serving instance kind (a model on a TP domain of one device kind) as the analytic screen sees it:
// @oicf/core's predicted step times, memoized because thousands of configurations share a few kinds.
// Decode steps are evaluated at the workload's decode context for any batch; prefill steps for each request
// bin at three prefix-hit levels, between which the screen interpolates.
import {
  analyzePointWith,
  type DeviceSpec,
  kvBytesPerToken,
  type ModelSpec,
  type PrecisionConfig,
  type ShardingSpec,
  shardPlan,
  weightBytes,
} from '@oicf/core';
import type { RequestBin } from '../workload/workload-profile.js';

/** A step's predicted parts (seconds): max(compute, memory) + communication is its time. */
export interface StepParts {
  readonly computeSeconds: number;
  readonly memorySeconds: number;
  readonly communicationSeconds: number;
  /** KV bytes one device reads in the step (its share, replicas included). */
  readonly kvReadBytesPerDevice: number;
  readonly flopsPerDevice: number;
  readonly bytesPerDevice: number;
}

export function stepSeconds(p: Pick<StepParts, 'computeSeconds' | 'memorySeconds' | 'communicationSeconds'>): number {
  return Math.max(p.computeSeconds, p.memorySeconds) + p.communicationSeconds;
}

/** Hit levels at which prefill is evaluated; a quadratic through them interpolates the rest. */
export const HIT_LEVELS = [0, 0.5, 1] as const;

export class InstanceModel {
  readonly sharding: ShardingSpec;
  /** Weights of the whole model (resident once per domain). */
  readonly weightBytes: number;
  /** Device memory of the domain after the weights (negative when they do not fit). */
  readonly hbmFreeBytes: number;
  /** KV bytes the domain holds per token (replicas included). */
  readonly kvBytesPerTokenDomain: number;
  /** KV bytes of one token, one copy (what a pool tier stores). */
  readonly kvBytesPerToken: number;
  readonly kvFractionPerDevice: number;
  private readonly decode = new Map<number, StepParts>();
  private readonly prefill = new Map<string, StepParts>();
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly model: ModelSpec,
    readonly device: DeviceSpec,
    readonly tp: number,
    readonly precision: PrecisionConfig,
    /** The context every decode sequence is evaluated at (the workload's decode context). */
    readonly decodeContextTokens: number,
  ) {
    this.sharding = { numDevices: tp, strategy: model.moe ? 'tensor+expert' : 'tensor' };
    const plan = shardPlan(model, device, tp > 1 ? this.sharding : undefined);
    this.weightBytes = weightBytes(model, precision);
    this.hbmFreeBytes = tp * device.memoryCapacityBytes - this.weightBytes;
    this.kvBytesPerToken = kvBytesPerToken(model, precision);
    this.kvBytesPerTokenDomain = this.kvBytesPerToken * plan.kvReplication;
    this.kvFractionPerDevice = plan.kvFractionPerDevice;
  }

  /** A value derived from this kind's steps, computed once per key (decode solutions, tiered steps). */
  memoize<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  get weightsFit(): boolean {
    return this.hbmFreeBytes >= 0;
  }

  /** Decode step of `batch` sequences, each at the decode context, KV all in device memory. */
  decodeParts(batch: number): StepParts {
    let parts = this.decode.get(batch);
    if (parts === undefined) {
      const r = analyzePointWith(
        {
          model: this.model,
          device: this.device,
          precision: this.precision,
          sharding: this.tp > 1 ? this.sharding : undefined,
          phase: 'decode',
          batch,
          contextTokens: Math.max(1, Math.round(this.decodeContextTokens)),
        },
        false,
      );
      parts = {
        computeSeconds: r.predicted.computeSeconds,
        memorySeconds: r.predicted.memorySeconds,
        communicationSeconds: r.predicted.communicationSeconds,
        kvReadBytesPerDevice: r.bytes.kvReadBytes * this.kvFractionPerDevice,
        flopsPerDevice: r.flopsPerDevice,
        bytesPerDevice: r.bytesPerDevice,
      };
      this.decode.set(batch, parts);
    }
    return parts;
  }

  /**
   * Decode step of `batch` sequences whose contexts sum to `sumContextTokens` (KV all in device memory): the
   * parts are affine in the sum for a fixed batch, so any arrangement gives them; B − 1 sequences of 1 token
   * and one of the rest is used. Not memoized (the twin's step model fits on it).
   */
  decodePartsAtSum(batch: number, sumContextTokens: number): StepParts {
    const contexts = new Array<number>(batch).fill(1);
    contexts[0] = Math.max(1, sumContextTokens - (batch - 1));
    const r = analyzePointWith(
      {
        model: this.model,
        device: this.device,
        precision: this.precision,
        sharding: this.tp > 1 ? this.sharding : undefined,
        phase: 'decode',
        contextTokens: contexts,
      },
      false,
    );
    return {
      computeSeconds: r.predicted.computeSeconds,
      memorySeconds: r.predicted.memorySeconds,
      communicationSeconds: r.predicted.communicationSeconds,
      kvReadBytesPerDevice: r.bytes.kvReadBytes * this.kvFractionPerDevice,
      flopsPerDevice: r.flopsPerDevice,
      bytesPerDevice: r.bytesPerDevice,
    };
  }

  /** Prefill of `fresh` new tokens after `cached` (batch 1), not memoized. */
  prefillPartsOf(fresh: number, cached: number): StepParts {
    const r = analyzePointWith(
      {
        model: this.model,
        device: this.device,
        precision: this.precision,
        sharding: this.tp > 1 ? this.sharding : undefined,
        phase: 'prefill',
        batch: 1,
        newTokens: fresh,
        cachedTokens: cached,
      },
      false,
    );
    return {
      computeSeconds: r.predicted.computeSeconds,
      memorySeconds: r.predicted.memorySeconds,
      communicationSeconds: r.predicted.communicationSeconds,
      kvReadBytesPerDevice: r.bytes.kvReadBytes * this.kvFractionPerDevice,
      flopsPerDevice: r.flopsPerDevice,
      bytesPerDevice: r.bytesPerDevice,
    };
  }

  /** Prefill of one request of `bin` with `hit` of its reusable prefix cached (batch 1). */
  prefillParts(binIndex: number, bin: RequestBin, hit: number): StepParts {
    const cached = Math.min(Math.round(hit * bin.reusableTokens), Math.max(0, Math.round(bin.inputTokens) - 1));
    const fresh = Math.max(1, Math.round(bin.inputTokens) - cached);
    const key = `${binIndex}:${fresh}:${cached}`;
    let parts = this.prefill.get(key);
    if (parts === undefined) {
      parts = this.prefillPartsOf(fresh, cached);
      this.prefill.set(key, parts);
    }
    return parts;
  }

  /** Prefill seconds of a `bin` request at any hit in [0, 1]: the quadratic through the three levels. */
  prefillSeconds(binIndex: number, bin: RequestBin, hit: number): number {
    const [y0, y1, y2] = HIT_LEVELS.map((h) => stepSeconds(this.prefillParts(binIndex, bin, h))) as [
      number,
      number,
      number,
    ];
    // Lagrange through (0, y0), (0.5, y1), (1, y2).
    const h = Math.min(1, Math.max(0, hit));
    const v = y0 * 2 * (h - 0.5) * (h - 1) - y1 * 4 * h * (h - 1) + y2 * 2 * h * (h - 0.5);
    return Math.max(v, 0);
  }
}

/** Instance models shared by every configuration of one run (keyed by device and TP). */
export class InstanceModels {
  private readonly byKey = new Map<string, InstanceModel>();

  constructor(
    private readonly model: ModelSpec,
    private readonly precision: PrecisionConfig,
    private readonly devices: ReadonlyMap<string, DeviceSpec>,
    private readonly decodeContextTokens: number,
  ) {}

  get(deviceId: string, tp: number): InstanceModel {
    const key = `${deviceId}|${tp}`;
    let m = this.byKey.get(key);
    if (m === undefined) {
      const device = this.devices.get(deviceId);
      if (device === undefined) throw new Error(`unknown device '${deviceId}'`);
      m = new InstanceModel(this.model, device, tp, this.precision, this.decodeContextTokens);
      this.byKey.set(key, m);
    }
    return m;
  }
}
