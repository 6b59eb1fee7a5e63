// The engine's Sampler (workerSampler's rule) plus a side record of each sampled token's log-probability,
// for sequences that asked for them. The engine's port returns only a token id, so the decode loop takes
// the records of a sequence after each step (`take`), in sampling order: they line up with the tokens
// the engine emitted for it (a first token sampled by a prefill worker has none here: it comes with the
// Prefill reply). Bounded: a sequence's list holds at most the tokens of one step until taken, and
// `forget` drops it when the sequence ends.
import type { Sampler } from '@oicf/engine';
import type { TokenLogprob } from '@oicf/kernels';
import { sampleWithLogprob, type WorkerSamplingParams } from './sampler.js';

export class LogprobRecorder {
  private readonly bySeq = new Map<string, TokenLogprob[]>();

  readonly sampler: Sampler = (logits, params, seqId, step) => {
    const drawn = sampleWithLogprob(logits, params as WorkerSamplingParams, step);
    if (drawn.logprob !== undefined) {
      const list = this.bySeq.get(seqId);
      if (list === undefined) this.bySeq.set(seqId, [drawn.logprob]);
      else list.push(drawn.logprob);
    }
    return drawn.tokenId;
  };

  /** The records of `seqId` since the last take, oldest first ([] when it asked for none). */
  take(seqId: string): TokenLogprob[] {
    const list = this.bySeq.get(seqId);
    if (list === undefined) return [];
    this.bySeq.delete(seqId);
    return list;
  }

  forget(seqId: string): void {
    this.bySeq.delete(seqId);
  }

  /** Sequences with records not yet taken (for tests of the bound). */
  get size(): number {
    return this.bySeq.size;
  }
}
