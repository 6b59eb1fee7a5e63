import { requireNumber } from '../errors.js';
import { kvBytesPerToken, weightBytes } from '../models/parameters.js';
import type { ModelSpec, PrecisionConfig } from '../types.js';

export interface BatchMaxBytes {
  /** Resident once for the whole batch (whole model, never divided by the batch). */
  readonly weightBytes: number;
  /** Resident per request in device memory: KV of its context + workspace. */
  readonly bytesPerRequest: number;
  readonly capacityBytes: number;
}

/** Largest integer B with weights + B·bytesPerRequest ≤ capacity; 0 when the weights alone do not
 * fit; Infinity when requests cost nothing. */
export function batchMaxFromBytes({ weightBytes, bytesPerRequest, capacityBytes }: BatchMaxBytes): number {
  const free = capacityBytes - weightBytes;
  if (free < 0) return 0;
  if (bytesPerRequest <= 0) return Number.POSITIVE_INFINITY;
  // Correctly rounded division never lands below an integer quotient, but may round a quotient
  // just under k up to k: step back when k requests would not actually fit.
  const estimate = Math.floor(free / bytesPerRequest);
  return estimate * bytesPerRequest > free ? estimate - 1 : estimate;
}

export interface BatchMaxArgs {
  readonly model: ModelSpec;
  readonly precision: PrecisionConfig;
  /** Memory of the device (or the whole scale-up domain). */
  readonly capacityBytes: number;
  /** Context length L of every request (tokens resident in its KV cache). */
  readonly contextTokens: number;
  readonly workspaceBytesPerRequest?: number;
}

/** B_max(L) = largest B with weights + B·(kvBytesPerToken·L + workspace) ≤ capacity.
 * Llama-3.1-70B bf16 (141.1 GB of weights) on 192e9 B at L = 8,000: 19. */
export function batchMax(args: BatchMaxArgs): number {
  requireNumber('capacityBytes', args.capacityBytes, 0);
  requireNumber('contextTokens', args.contextTokens, 0);
  const workspace = args.workspaceBytesPerRequest ?? 0;
  requireNumber('workspaceBytesPerRequest', workspace, 0);
  return batchMaxFromBytes({
    weightBytes: weightBytes(args.model, args.precision),
    bytesPerRequest: kvBytesPerToken(args.model, args.precision) * args.contextTokens + workspace,
    capacityBytes: args.capacityBytes,
  });
}
