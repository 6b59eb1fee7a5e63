import { unwrap } from '@oicf/core';
import type { TraceRequest } from '@oicf/traces';
import { describe, expect, it } from 'vitest';
import { rankConfigurations } from '../rank/rank.js';
import { screenAll, screenContext } from '../run/screen-all.js';
import { enumerateConfigurations } from '../space/enumerate.js';
import { parseSpace } from '../space/resolve-space.js';
import { profileWorkload } from '../workload/workload-profile.js';

// Llama-3.1-70B in fp8: 70,553,706,496 parameters (meta-llama/Llama-3.1-70B; 141.1 GB in bf16) → 70.55 GB of
// weights; KV per token = 80 layers × 8 KV heads × 128 dims × 2 (K and V) × 1 byte = 163,840 bytes.
// Every request: a 96,000-token prompt and 100 output tokens, one every 10 s, no shared prefixes. The decode
// context (output-weighted) is 96,000 + 100 / 2 = 96,050 tokens → 96,050 × 163,840 = 15.74 GB of KV each.
//   H100 (80 GB):  80 − 70.55 = 9.45 GB free  → B_max = ⌊9.45 / 15.74⌋ = 0: it cannot hold one request.
//   H200 (141 GB): 141 − 70.55 = 70.45 GB free → B_max = ⌊70.45 / 15.74⌋ = 4.
const requests: TraceRequest[] = Array.from({ length: 20 }, (_, i) => ({
  requestId: `r${i}`,
  arrivalSeconds: 10 * i,
  inputTokens: 96_000,
  outputTokens: 100,
}));

const space = unwrap(
  parseSpace({
    name: 'two-designs',
    model: 'llama-3.1-70b',
    precision: 'fp8',
    modes: ['colocated'],
    decode: { devices: ['h100', 'h200'], tp: [1], instances: [1] },
  }),
);

describe('a 2-configuration space with one capacity-bound design', () => {
  const profile = profileWorkload(requests);
  const slo = { ttftSeconds: 60, tpotSeconds: 1 };
  const screened = screenAll(enumerateConfigurations(space), screenContext(space, profile, slo));
  const ranking = rankConfigurations(screened, new Map(), 'goodputPerUsd');

  it('has the workload context the derivation uses', () => {
    expect(profile.decodeContextTokens).toBe(96_050);
  });

  it('ranks the H100 design out as capacity-bound (B_max 0 at 96k context) and keeps the H200 one', () => {
    const h100 = ranking.find((r) => r.id === 'col both=h100×1 tp1 kv=hbm oicf-cost');
    const h200 = ranking.find((r) => r.id === 'col both=h200×1 tp1 kv=hbm oicf-cost');
    expect(h100?.rank).toBeNull();
    expect(h100?.out).toEqual({
      kind: 'capacity',
      text: 'decode capacity-bound on h100 ×1: B_max 0 at 96k context (KV 15.7 GB per request, 9.4 GB free after weights)',
    });
    expect(h200?.rank).toBe(1);
    expect(h200?.out).toBeNull();
    expect(h200?.screen.estimate?.batchMaxHbm).toBe(4);
  });
});
