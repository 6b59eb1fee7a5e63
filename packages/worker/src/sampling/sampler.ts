import { fmix32 } from '@oicf/core';
import type { Sampler, SamplingParams } from '@oicf/engine';
import { MAX_TOP_LOGPROBS, SampleRng, sample, type TokenLogprob, tokenLogprob } from '@oicf/kernels';

/**
 * The one sampling rule of both workers: the token at generation index i is a pure function of
 * (logits, temperature, top-k, top-p, seed, i). Each draw seeds a fresh RNG from (seed, i), so no
 * state is carried from one step to the next, and a first token sampled on a prefill worker (i = 0)
 * followed by decode-worker steps (i ≥ 1) gives exactly the tokens one colocated process gives.
 */
export interface WorkerSamplingParams extends SamplingParams {
  /** Nucleus mass in (0, 1]; 1 (or absent) disables it. */
  readonly topP?: number;
  /** Absent: no log-probabilities. Present: each sampled token's, plus this many top alternatives (0..20). */
  readonly numTopLogprobs?: number;
}

/** A proto SamplingParams (0 = disabled for top_k and top_p) in the engine's terms. */
export function samplingFromProto(p: {
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  logprobs?: boolean;
  numTopLogprobs?: number;
}): WorkerSamplingParams {
  const topP = p.topP ?? 0;
  return {
    temperature: p.temperature ?? 0,
    seed: p.seed ?? 0,
    ...(p.topK !== undefined && p.topK > 0 ? { topK: p.topK } : {}),
    ...(topP > 0 && topP < 1 ? { topP } : {}),
    // Clamped rather than refused: the router validates the range; a worker never fails a step over it.
    ...(p.logprobs === true ? { numTopLogprobs: Math.min(p.numTopLogprobs ?? 0, MAX_TOP_LOGPROBS) } : {}),
  };
}

/** The RNG seed of draw `index` for request seed `seed` (an integer < 2^53, as proto uint64 loads). */
export function drawSeed(seed: number, index: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  return fmix32(lo ^ fmix32(hi ^ fmix32((index + 0x9e3779b9) >>> 0)));
}

/** Sets logits outside the top-p nucleus of softmax(logits / temperature) to −∞. */
function nucleus(logits: Float32Array, temperature: number, topP: number): Float32Array {
  const ids = Array.from({ length: logits.length }, (_, i) => i);
  ids.sort((a, b) => (logits[b] ?? 0) - (logits[a] ?? 0) || a - b);
  const max = logits[ids[0] ?? 0] ?? 0;
  const weights = ids.map((i) => Math.exp(((logits[i] ?? 0) - max) / temperature));
  const total = weights.reduce((a, w) => a + w, 0);
  const out = new Float32Array(logits.length).fill(Number.NEGATIVE_INFINITY);
  let mass = 0;
  for (let j = 0; j < ids.length; j++) {
    const id = ids[j] as number;
    out[id] = logits[id] as number;
    mass += (weights[j] ?? 0) / total;
    if (mass >= topP) break;
  }
  return out;
}

/** The token at generation index `index` (0 = the first token after the prompt). */
export function sampleToken(logits: Float32Array, params: WorkerSamplingParams, index: number): number {
  if (params.temperature === 0 || params.topK === 1) return sample(logits);
  const rng = new SampleRng(drawSeed(params.seed, index));
  const row = params.topP !== undefined && params.topP < 1 ? nucleus(logits, params.temperature, params.topP) : logits;
  return sample(row, { temperature: params.temperature, ...(params.topK ? { topK: params.topK } : {}) }, rng);
}

/**
 * The token at generation index `index` and, when `params.numTopLogprobs` is set, its log-probability
 * (log-softmax of the raw `logits` row it was drawn from, @oicf/kernels `tokenLogprob`).
 */
export function sampleWithLogprob(
  logits: Float32Array,
  params: WorkerSamplingParams,
  index: number,
): { tokenId: number; logprob?: TokenLogprob } {
  const tokenId = sampleToken(logits, params, index);
  if (params.numTopLogprobs === undefined) return { tokenId };
  return { tokenId, logprob: tokenLogprob(logits, tokenId, params.numTopLogprobs) };
}

/** The engine's Sampler: the engine passes each token's generation index as `step`. */
export const workerSampler: Sampler = (logits, params, _seqId, step) =>
  sampleToken(logits, params as WorkerSamplingParams, step);
