import { fail, OicfCoreError, ok, requireNumber, unwrap } from '../errors.js';
import { layerCounts } from '../models/parameters.js';
import type { DeviceSpec, FieldIssue, LinkSpec, ModelSpec, Result, ShardingSpec } from '../types.js';
import type { StepShape } from './step-shape.js';

/** How one step's work lands on each device of a scale-up domain.
 *
 * Tensor parallel over N devices divides FLOPs, weights and activations by N. KV is split by KV
 * head: each device keeps ceil(G/N) of the G kv heads, so with N > G heads are replicated; MLA's
 * latent is shared by all heads and is replicated on every device. Expert parallel places whole
 * routed experts on devices (balanced), which divides expert FLOPs and weights by N as well; it
 * changes the collectives, not the per-device work. */
export interface ShardPlan {
  readonly numDevices: number;
  readonly strategy: ShardingSpec['strategy'];
  readonly link: LinkSpec | undefined;
  /** Fraction of one request's KV held (and read) by each device. */
  readonly kvFractionPerDevice: number;
  /** KV bytes held by the domain ÷ the model's KV bytes (≥ 1; > 1 when replicated). */
  readonly kvReplication: number;
}

/**
 * Whether `sharding` is possible for this model on this device, as a returned value (user input
 * such as `--tp` is expected to be wrong sometimes). Two limits, each named in the message:
 * - the device's scale-up domain: numDevices ≤ device.scaleUp.maxDomainDevices (checked when the
 *   device declares one and no explicit link overrides it);
 * - tensor parallelism splits attention heads whole: numHeads must be divisible by numDevices.
 * KV heads need not divide (they are replicated when numDevices > numKvHeads, see ShardPlan).
 */
export function checkSharding(
  model: ModelSpec,
  device: DeviceSpec,
  sharding: ShardingSpec | undefined,
): Result<ShardingSpec | undefined> {
  if (sharding === undefined) return ok(undefined);
  requireNumber('sharding.numDevices', sharding.numDevices, 1, true);
  const n = sharding.numDevices;
  const issues: FieldIssue[] = [];
  const maxDomain = device.scaleUp?.maxDomainDevices;
  if (n > 1 && sharding.link === undefined && maxDomain !== undefined && n > maxDomain) {
    issues.push({
      path: 'sharding.numDevices',
      message: `${n} devices exceed ${device.id}'s scale-up domain of ${maxDomain}`,
    });
  }
  if (model.numHeads % n !== 0) {
    issues.push({
      path: 'sharding.numDevices',
      message: `${model.id}'s ${model.numHeads} attention heads do not split evenly over ${n} devices (use a divisor of ${model.numHeads})`,
    });
  }
  if (issues.length === 0) return ok(sharding);
  return fail({ code: 'INVALID_ARGUMENT', message: issues.map((i) => i.message).join('; '), issues });
}

export function shardPlan(model: ModelSpec, device: DeviceSpec, sharding: ShardingSpec | undefined): ShardPlan {
  const numDevices = sharding?.numDevices ?? 1;
  requireNumber('sharding.numDevices', numDevices, 1, true);
  unwrap(checkSharding(model, device, sharding));
  const link = sharding?.link ?? device.scaleUp?.link;
  if (numDevices > 1 && !link) {
    throw new OicfCoreError({
      code: 'INVALID_ARGUMENT',
      message: `sharding.link: device '${device.id}' has no scale-up link; pass sharding.link (e.g. getLink('nvlink4'))`,
      issues: [{ path: 'sharding.link', message: 'required when the device has no scale-up link' }],
    });
  }
  const kvFractionPerDevice = model.mla ? 1 : Math.ceil(model.numKvHeads / numDevices) / model.numKvHeads;
  return {
    numDevices,
    strategy: sharding?.strategy ?? 'tensor',
    link,
    kvFractionPerDevice,
    kvReplication: kvFractionPerDevice * numDevices,
  };
}

export interface Communication {
  readonly bytesPerDevice: number;
  readonly seconds: number;
}

/** Collectives of one step, not overlapped with compute.
 * Ring all-reduce of S bytes: each device sends 2(N−1)/N·S in 2(N−1) latency-bound steps.
 * tensor: two all-reduces of the hidden state (n·h elements) per layer (after attention, after FFN).
 * tensor+expert: one all-reduce per layer after attention, one after each dense FFN, and in MoE
 * layers an all-to-all dispatch and combine of the n·k routed hidden states, of which each device
 * sends (N−1)/N of its 1/N share, one latency each. */
export function communication(
  model: ModelSpec,
  plan: ShardPlan,
  shape: StepShape,
  activationBytesPerElement: number,
): Communication {
  const n = plan.numDevices;
  if (n === 1 || !plan.link) return { bytesPerDevice: 0, seconds: 0 };
  const hiddenBytes = shape.numNewTokens * model.hiddenSize * activationBytesPerElement;
  const ringFactor = (2 * (n - 1)) / n;
  const { numDenseLayers, numMoeLayers } = layerCounts(model);
  let numAllReduces = 2 * model.numLayers;
  let allToAllBytes = 0;
  let numAllToAlls = 0;
  if (plan.strategy === 'tensor+expert' && model.moe && numMoeLayers > 0) {
    numAllReduces = model.numLayers + numDenseLayers;
    numAllToAlls = 2 * numMoeLayers;
    allToAllBytes = numAllToAlls * ((n - 1) / n) * ((hiddenBytes * model.moe.topK) / n);
  }
  const bytesPerDevice = numAllReduces * ringFactor * hiddenBytes + allToAllBytes;
  const latencySeconds = (numAllReduces * 2 * (n - 1) + numAllToAlls) * plan.link.latencySeconds;
  return { bytesPerDevice, seconds: bytesPerDevice / plan.link.bandwidthBytesPerSecond + latencySeconds };
}
