import { describe, expect, it } from 'vitest';
import { StepShapes } from './step-shapes.js';

describe('StepShapes', () => {
  it('gives a prefill chunk [512, 1536) as 1,024 new tokens over 512 cached', () => {
    const shapes = new StepShapes();
    expect(shapes.of({ kind: 'prefill', seqId: 'a', fromToken: 512, toToken: 1536 })).toEqual({
      phase: 'prefill',
      numNewTokens: 1024, // 1536 − 512
      cachedTokens: 512,
    });
  });

  it("gives a decode step its batch's context lengths, and nothing for an idle step", () => {
    const shapes = new StepShapes();
    const contextTokens = [7, 300];
    const batch = [
      { seqId: 'a', tokenId: 1 },
      { seqId: 'b', tokenId: 2 },
    ];
    expect(shapes.of({ kind: 'decode', batch, contextTokens })).toEqual({ phase: 'decode', contextTokens: [7, 300] });
    expect(shapes.of({ kind: 'idle' })).toBeUndefined();
  });

  it('rewrites one object per phase: the next step of a phase returns the same object with its values', () => {
    const shapes = new StepShapes();
    const first = shapes.of({ kind: 'prefill', seqId: 'a', fromToken: 0, toToken: 100 });
    const second = shapes.of({ kind: 'prefill', seqId: 'b', fromToken: 100, toToken: 164 });
    expect(second).toBe(first);
    expect(second).toEqual({ phase: 'prefill', numNewTokens: 64, cachedTokens: 100 }); // 164 − 100 new
  });
});
