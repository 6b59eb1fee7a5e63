// Three requests through the twin with every time derived by hand (the derivation is the comments). The
// cluster: one prefill worker p0, one decode worker d0, prefix-aware routing (remote prefill, or local
// prefill on d0 when it waits there for an in-flight prefix), a dram pool, no host latencies. Steps: prefill of t new tokens 0.010 + 0.001·t s; a decode step of B
// sequences 0.005 + 0.001·B s. Each worker's KV link: 1 MB/s (1,000 B per token → 1 ms per token on the
// wire), 1 ms latency, one transfer at a time (FIFO) per direction. Blocks of 4 tokens.
import { describe, expect, it } from 'vitest';
import { HAND_CLUSTER, HAND_REQUESTS } from '../testing/hand-cluster.js';
import { simulate } from './simulate.js';

describe('three scripted requests', () => {
  const { run } = simulate(HAND_CLUSTER, { requests: HAND_REQUESTS, loop: 'open', seed: 1 });
  const [r1, r2, r3] = run.records;

  it('R1: prefill 20 ms, handoff and pool offer back to back on p0’s link, then decodes beside R2', () => {
    // t=0 R1 routed (pool empty, index empty): prefill on p0 of all 10 tokens, 0.010 + 0.010 = 0.020 s.
    // 0.020: handoff of 10 tokens (10 kB: 10 ms on p0 out / d0 in) → 0.030 on the wire, done 0.031; the pool
    // offer of its 2 full blocks (8 kB) waits for p0's out link until 0.030 → 0.038, done 0.039. The reply
    // (and R1's first token) at 0.039: TTFT 0.039.
    expect(r1?.ttftSeconds).toBeCloseTo(0.039, 9);
    // Decode at 0.039: the handoff is there; R1 joins with its first token, so its prompt KV is present
    // (landed): b1, b2 enter d0's cache and R2, waiting for them, joins too (below). The engine runs the
    // prefill first: R2's 2 tokens, 0.010 + 0.002 → 0.051. Then a decode step of 2 sequences
    // (0.005 + 0.002) → 0.058, R1's 2nd token; then of 1 (R2 is done) 0.006 → 0.064, R1's 3rd and last.
    // Gaps 0.058 − 0.039 = 0.019 and 0.006; TPOT (0.064 − 0.039) / 2 = 0.0125.
    expect(r1?.e2eSeconds).toBeCloseTo(0.064, 9);
    expect(r1?.tpotSeconds).toBeCloseTo(0.0125, 9);
    expect(r1?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.019, 0.006]);
    expect(r1?.routing).toMatchObject({ reason: 'prefix-miss', numCachedTokens: 0, prefillWorkerId: 'p0' });
  });

  it('R2: waits on d0 for R1’s in-flight prefix, then prefills only its last 2 tokens there', () => {
    // Routed at t=0 right after R1: b1, b2 are being computed for R1 and will land on d0, so R2 is sent to
    // d0 to wait for them and prefill the rest locally (no prefill worker; 8 tokens from d0's cache). The
    // Decode call arrives at t=0 and waits until R1 lands at 0.039 (above); its prefill of 2 tokens after 8:
    // 0.010 + 0.002 → 0.051, its first token. One decode step beside R1 (0.007) → 0.058, its 2nd and last.
    expect(r2?.ttftSeconds).toBeCloseTo(0.051, 9);
    expect(r2?.e2eSeconds).toBeCloseTo(0.058, 9);
    expect(r2?.routing).toMatchObject({
      decodeWorkerId: 'd0',
      prefillWorkerId: null,
      cacheSource: 'worker',
      numCachedTokens: 8,
    });
  });

  it('R3: fetches its prefix from the pool, prefills 2 tokens, and ends with the prefill’s token', () => {
    // t=1: the pool holds b1, b2 (R1's offer, stored at 0.039): leased and fetched by p0, 8 kB on p0's in
    // link → 1.008, done 1.009. Prefill of the 2 uncached tokens after 8: 0.010 + 0.002 → 1.021. Handoff
    // of 2 tokens (d0 holds b1, b2) → 1.023, done 1.024; nothing new to offer. First token at 1.024:
    // TTFT 0.024.
    expect(r3?.ttftSeconds).toBeCloseTo(0.024, 9);
    // max_tokens 1: d0 admits it and it finishes with that token; the decode loop's idle pass (1 ms)
    // flushes its final chunk at 1.025.
    expect(r3?.e2eSeconds).toBeCloseTo(0.025, 9);
    expect(r3?.tpotSeconds).toBeNull();
    expect(r3?.routing).toMatchObject({ numCachedTokens: 8, cacheSource: 'pool' });
  });

  it('the run ends with the last request, and counts 16 of 30 prompt tokens as reused', () => {
    expect(run.durationSeconds).toBeCloseTo(1.025, 9);
    expect(run.records.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    // R2's 8 from d0's cache, R3's 8 from the pool.
    expect(run.records.reduce((a, r) => a + (r.numCachedTokens ?? 0), 0)).toBe(16);
  });
});
