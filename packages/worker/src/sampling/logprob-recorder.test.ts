import { tokenLogprob } from '@oicf/kernels';
import { describe, expect, it } from 'vitest';
import { LogprobRecorder } from './logprob-recorder.js';
import { sampleToken, sampleWithLogprob, samplingFromProto } from './sampler.js';

// Logits [ln 1, ln 2, ln 3, ln 4]: softmax [0.1, 0.2, 0.3, 0.4], so greedy picks id 3 with logprob ln 0.4.
const LOGITS = Float32Array.from([Math.log(1), Math.log(2), Math.log(3), Math.log(4)]);

describe('log-probabilities from the worker sampler', () => {
  it('greedy token 3 has logprob ln 0.4 = −0.9162907, and top-2 alternatives are ids 3 then 2', () => {
    const params = samplingFromProto({ temperature: 0, logprobs: true, numTopLogprobs: 2 });
    const drawn = sampleWithLogprob(LOGITS, params, 0);
    expect(drawn.tokenId).toBe(3);
    expect(drawn.logprob?.logprob).toBeCloseTo(Math.log(0.4), 6);
    expect(drawn.logprob?.topLogprobs.map((t) => t.tokenId)).toEqual([3, 2]);
  });

  it('the logprob is of the raw logits whatever the temperature (vLLM raw_logprobs)', () => {
    const hot = samplingFromProto({ temperature: 5, seed: 9, logprobs: true });
    const drawn = sampleWithLogprob(LOGITS, hot, 4);
    // The token is the one the plain sampler draws for (seed 9, index 4); its logprob ln((id+1)/10).
    expect(drawn.tokenId).toBe(sampleToken(LOGITS, hot, 4));
    expect(drawn.logprob?.logprob).toBeCloseTo(Math.log((drawn.tokenId + 1) / 10), 6);
    expect(drawn.logprob?.topLogprobs).toEqual([]);
  });

  it('no logprobs asked: none computed; a top count above 20 is clamped to 20', () => {
    expect(sampleWithLogprob(LOGITS, samplingFromProto({ temperature: 0 }), 0)).toEqual({ tokenId: 3 });
    expect(samplingFromProto({ logprobs: true, numTopLogprobs: 50 }).numTopLogprobs).toBe(20);
  });

  it('the recorder hands each sequence its records in sampling order, once, and forgets', () => {
    const rec = new LogprobRecorder();
    const want = samplingFromProto({ temperature: 0, logprobs: true, numTopLogprobs: 1 });
    const none = samplingFromProto({ temperature: 0 });
    expect(rec.sampler(LOGITS, want, 'a', 0)).toBe(3);
    const flipped = Float32Array.from([...LOGITS].reverse());
    expect(rec.sampler(flipped, want, 'a', 1)).toBe(0);
    expect(rec.sampler(LOGITS, none, 'b', 0)).toBe(3);
    expect(rec.take('a')).toEqual([tokenLogprob(LOGITS, 3, 1), tokenLogprob(flipped, 0, 1)]);
    expect(rec.take('a')).toEqual([]);
    expect(rec.take('b')).toEqual([]);
    rec.sampler(LOGITS, want, 'c', 0);
    rec.forget('c');
    expect(rec.size).toBe(0);
  });
});
