import type { ReplayRequestRecord } from '@oicf/report';
import { describe, expect, it } from 'vitest';
import { chunkShares, PREFILL_CHUNK_TOKENS, restRows, unreadSeconds } from './sim-fidelity-rest-core.js';

/** A remote prefill's record with only the fields the timeline reads. */
function rec(id: string, sent: number, serverTtft: number, parts: { q: number; p: number; t: number }, tokens: number) {
  return {
    requestId: id,
    status: 'ok',
    sentSeconds: sent,
    ttftSeconds: serverTtft + 0.002,
    numInputTokens: tokens,
    numCachedTokens: 0,
    routing: {
      reason: 'remote-prefill',
      prefillWorkerId: 'p0',
      serverTtftSeconds: serverTtft,
      queueSeconds: parts.q,
      prefillSeconds: parts.p,
      kvTransferSeconds: parts.t,
    },
  } as unknown as ReplayRequestRecord;
}

describe('the TTFT rest against a frame unread during a kernel call', () => {
  it('derives each worker’s kernel calls from the records and the wait to the running call’s end', () => {
    // A: sent 0, at the router 0.001 (half the client's 0.002); router TTFT 2.1 → first token 2.101; transfer 0.1,
    // so its kernel ran 0.101 → 2.001 (prefill 1.9), in two calls of 1,024 tokens: ends 1.051 and 2.001.
    // B: sent 0.5 (at 0.501), during A's first call: unread until 1.051 (0.55). Its record: TTFT 1.62, queue 0.95,
    // prefill 0.02, transfer 0.1, so rest 0.55.  C: sent 3.0, no kernel running: unread 0.
    const rows = restRows([
      rec('A', 0, 2.1, { q: 0, p: 1.9, t: 0.1 }, 2048),
      rec('B', 0.5, 1.62, { q: 0.95, p: 0.02, t: 0.1 }, 10),
      rec('C', 3.0, 0.2, { q: 0, p: 0.1, t: 0.1 }, 10),
    ]);
    const a = rows.find((r) => r.id === 'A');
    expect(a?.kernelStartSeconds).toBeCloseTo(0.101, 9);
    expect(a?.chunkEnds[0]).toBeCloseTo(1.051, 9);
    expect(a?.chunkEnds[1]).toBeCloseTo(2.001, 9);
    expect(rows.find((r) => r.id === 'B')?.restSeconds).toBeCloseTo(0.55, 9);
    const u = unreadSeconds(rows);
    expect(u.get('A')).toBe(0);
    expect(u.get('B')).toBeCloseTo(0.55, 9);
    expect(u.get('C')).toBe(0);
  });
});

describe('chunkShares (a prefill’s kernel calls, by their share of its new tokens)', () => {
  it.each([
    // One call up to 1,024 tokens (KernelRunner's default prefillChunkTokens).
    [10, [1]],
    [1024, [1]],
    // 1,025 = 1,024 + 1; 2,048 = two halves; 2,560 = 1,024 + 1,024 + 512, i.e. 0.4, 0.4, 0.2.
    [1025, [1024 / 1025, 1 / 1025]],
    [2048, [0.5, 0.5]],
    [2560, [0.4, 0.4, 0.2]],
  ])('%i new tokens → %j', (n, shares) => {
    expect(PREFILL_CHUNK_TOKENS).toBe(1024);
    const got = chunkShares(n);
    expect(got).toHaveLength(shares.length);
    for (const [i, s] of got.entries()) expect(s).toBeCloseTo(shares[i] as number, 12);
  });
});
