import type { TraceRequest } from '@oicf/traces';
import { describe, expect, it } from 'vitest';
import { RecordBuilder } from './record-builder.js';

describe('RecordBuilder', () => {
  it('records one gap per token, not per SSE chunk', () => {
    const request: TraceRequest = { requestId: 'r', arrivalSeconds: 0, inputTokens: 10, outputTokens: 6 };
    const b = new RecordBuilder(request, 6, 0, 0, 0);
    // Chunks: 1 token at 0.5 s (TTFT), 2 tokens at 0.7 s, 3 tokens at 1.0 s, final at 1.0 s.
    // Gaps: 0.2 ÷ 2 = 0.1 twice, then 0.3 ÷ 3 = 0.1 three times → 5 gaps for 6 tokens (not 2).
    b.add({ kind: 'token', atSeconds: 0.5, numTokens: 1 });
    b.add({ kind: 'token', atSeconds: 0.7, numTokens: 2 });
    b.add({ kind: 'token', atSeconds: 1.0, numTokens: 3 });
    b.add({ kind: 'final', atSeconds: 1.0, finishReason: 'length', usage: null, routing: null });
    const rec = b.finish(1.0, false);
    expect(rec.interTokenSeconds).toHaveLength(5);
    for (const g of rec.interTokenSeconds) expect(g).toBeCloseTo(0.1, 12);
    // TPOT = (1.0 − 0.5) ÷ (6 − 1) = 0.1: the per-token gaps now average to TPOT.
    expect(rec.numOutputTokens).toBe(6);
    expect(rec.tpotSeconds).toBeCloseTo(0.1, 12);
  });

  it('a request longer than the context is a reject with reason context, not an error', () => {
    const request: TraceRequest = { requestId: 'r', arrivalSeconds: 0, inputTokens: 9000, outputTokens: 10 };
    const message = 'prompt (9000) + max_tokens (10) = 9010 tokens exceed the longest sequence a decode worker holds';
    const overflow = new RecordBuilder(request, 10, 0, 0, 0);
    overflow.add({ kind: 'error', atSeconds: 0.01, httpStatus: 400, code: 'context_length_exceeded', message });
    expect(overflow.finish(0.01, false)).toMatchObject({ status: 'rejected', httpStatus: 400, errorCode: 'context' });
    // Any other 400 stays an error.
    const bad = new RecordBuilder(request, 10, 0, 0, 0);
    bad.add({ kind: 'error', atSeconds: 0.01, httpStatus: 400, code: 'invalid_value', message: 'max_tokens …' });
    expect(bad.finish(0.01, false)).toMatchObject({ status: 'error', errorCode: 'invalid_value' });
  });
});
