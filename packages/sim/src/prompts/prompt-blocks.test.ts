import type { TraceRequest } from '@oicf/traces';
import { describe, expect, it } from 'vitest';
import { PromptNamer } from './prompt-blocks.js';

// Mooncake-like requests: shared leading trace blocks, a partial last block, one without ids.
function requests(traceBlockTokens: number): TraceRequest[] {
  const r = (requestId: string, inputTokens: number, blockHashes?: number[]): TraceRequest => ({
    requestId,
    arrivalSeconds: 0,
    inputTokens,
    outputTokens: 1,
    ...(blockHashes === undefined ? {} : { blockHashes, blockTokens: traceBlockTokens }),
  });
  const b = traceBlockTokens;
  return [
    r('a', 3 * b + 7, [0, 1, 2, 3]),
    r('b', 3 * b + 7, [0, 1, 2, 3]), // same prompt as a
    r('c', 2 * b + 5, [0, 1, 9]), // shares 2 blocks with a
    r('d', 4 * b, [0, 1, 2, 3]), // a's prompt and more (its last block full)
    r('e', b + 3, [5, 6]),
    r('f', 300), // no ids: unique tokens
    r('g', 5 * b + 1, [0, 1, 2, 3, 4, 8]),
  ];
}

describe('PromptNamer', () => {
  it.each([
    [512, 64],
    [10, 64],
    [64, 64],
    [7, 16],
  ])('fast ids share exactly where exact ids do (trace blocks of %i tokens, cluster blocks of %i)', (tb, bt) => {
    const exact = new PromptNamer('exact', bt);
    const fast = new PromptNamer('fast', bt);
    const rs = requests(tb);
    const e = rs.map((r) => exact.prompt(r));
    const f = rs.map((r) => fast.prompt(r));
    for (let i = 0; i < rs.length; i++) {
      const ei = e[i];
      const fi = f[i];
      if (ei === undefined || fi === undefined) throw new Error('prompt');
      expect(fi.numTokens).toBe(ei.numTokens);
      expect(fi.blockIds.length).toBe(ei.blockIds.length);
      // The tail after the last full block is the real tokens.
      const from = ei.blockIds.length * bt;
      expect(fi.tokenIds.slice(from)).toEqual(ei.tokenIds.slice(from));
      for (let j = 0; j < rs.length; j++) {
        const ej = e[j];
        const fj = f[j];
        if (ej === undefined || fj === undefined) throw new Error('prompt');
        const n = Math.min(ei.blockIds.length, ej.blockIds.length);
        for (let k = 0; k < n; k++) expect(fi.blockIds[k] === fj.blockIds[k]).toBe(ei.blockIds[k] === ej.blockIds[k]);
      }
    }
    // And the sharing is real: a and b are one prompt, c shares a's leading tokens for 2 trace blocks.
    const [a, b, c] = e;
    expect(a?.blockIds).toEqual(b?.blockIds);
    const sharedTokens = 2 * tb;
    expect(c?.blockIds.slice(0, Math.floor(sharedTokens / bt))).toEqual(
      a?.blockIds.slice(0, Math.floor(sharedTokens / bt)),
    );
  });

  it('exact ids are the hash chain of the prompt oicf replay sends', () => {
    const p = new PromptNamer('exact', 64).prompt({
      requestId: 'x',
      arrivalSeconds: 0,
      inputTokens: 130,
      outputTokens: 1,
      blockHashes: [4],
      blockTokens: 512,
    });
    expect(p.tokenIds).toHaveLength(130);
    expect(p.blockIds).toHaveLength(2);
  });

  it('a fast prompt throws on a read of a token it does not hold', () => {
    const p = new PromptNamer('fast', 64).prompt({
      requestId: 'x',
      arrivalSeconds: 0,
      inputTokens: 128,
      outputTokens: 1,
      blockHashes: [4],
      blockTokens: 512,
    });
    expect(p.tokenIds.length).toBe(128);
    // 128 tokens = 2 full blocks and no tail: the last token is kept anyway.
    expect(typeof p.tokenIds[127]).toBe('number');
    expect(p.tokenIds.slice(128)).toEqual([]);
    expect(() => p.tokenIds[3]).toThrow(/holds only a prompt's length and its tail/);
    expect(() => [...p.tokenIds]).toThrow(/holds only/);
  });
});
