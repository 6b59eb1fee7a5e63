import { describe, expect, it } from 'vitest';
import { readTraceText } from '../readers/read-trace.js';
import { mooncakeSmall } from '../testing/fixtures.js';
import { scaleTrace } from './scale-trace.js';

function mooncake() {
  const result = readTraceText(mooncakeSmall());
  if (!result.ok) throw result.error;
  return result.requests;
}

describe('scaleTrace', () => {
  it('scales outputs apart from inputs and counts the outputs that became 1 token', () => {
    const got = scaleTrace(mooncake(), { input: 0.02, output: 0.1 });
    // Outputs 10, 20, 30, 1, 40, 5 × 0.1 → 1, 2, 3, max(1, 0) = 1, 4, round(0.5) = 1: three are 1 token,
    // but the fourth was 1 in the trace, so 2 became 1.
    expect(got.requests.map((r) => r.outputTokens)).toEqual([1, 2, 3, 1, 4, 1]);
    expect(got.numOutputsBecameOne).toBe(2);
    expect([got.inputFactor, got.outputFactor]).toEqual([0.02, 0.1]);
    // Blocks mode (the default): 512 × 0.02 → 10-token blocks; 1000 tokens [0,1] → 10 + round(488 × 0.02) = 20.
    expect(got.requests[0]).toMatchObject({ inputTokens: 20, blockTokens: 10, blockHashes: [0, 1] });
  });

  it('defaults the output factor to the input factor; remap mode keeps the block size', () => {
    const got = scaleTrace(mooncake(), { input: 0.5, mode: 'remap' });
    // Output 10 × 0.5 = 5; input 1000 × 0.5 = 500 in one 512-token block named after original block 0.
    expect(got.requests[0]).toMatchObject({ inputTokens: 500, outputTokens: 5, blockTokens: 512 });
    expect(got.outputFactor).toBe(0.5);
    expect(got.numOutputsBecameOne).toBe(0);
  });

  it.each([
    [{ input: 0 }, /token scale factor must be a finite number > 0, got 0/],
    [{ input: 1, output: -1 }, /output token scale factor must be a finite number > 0, got -1/],
  ])('rejects %j', (scaling, message) => {
    expect(() => scaleTrace(mooncake(), scaling)).toThrow(message);
  });
});
