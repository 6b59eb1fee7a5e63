import { describe, expect, it } from 'vitest';
import { computeTraceStats } from '../stats/trace-stats.js';
import { readTraceFile } from './read-trace-file.js';
import { sharedTrace } from './shared-traces.js';

const conversation = sharedTrace('mooncake-fast25/conversation_trace.jsonl');
const azureConv = sharedTrace('azure-llm-2023/AzureLLMInferenceTrace_conv.csv');

describe('trace stats of the shared public traces', () => {
  it.skipIf(!conversation.exists)(
    conversation.exists
      ? 'Mooncake conversation: 12,031 requests, mean input 12,035 ± 1, infinite-cache reuse 0.366 ± 0.005'
      : `Mooncake conversation (skipped: ${conversation.path} not found)`,
    async () => {
      const result = await readTraceFile(conversation.path);
      if (!result.ok) throw result.error;
      const stats = computeTraceStats(result.requests, { lruCapacityBlocks: 10_000 });
      expect(stats.numRequests).toBe(12_031);
      // Paper Table 2: average input 12,035 tokens, average output 343.
      expect(Math.abs((stats.inputTokens?.mean ?? 0) - 12_035)).toBeLessThanOrEqual(1);
      expect(Math.abs((stats.outputTokens?.mean ?? 0) - 343)).toBeLessThanOrEqual(1);
      if (!stats.prefixReuse.available) throw new Error('expected prefix information');
      // Block-level ceiling in timestamp order; the paper reports a 40% cache ratio for this trace.
      expect(Math.abs(stats.prefixReuse.infinite.hitRatio - 0.366)).toBeLessThanOrEqual(0.005);
      // LRU with 10,000 blocks, counted independently of this code by a Python pass over the file (requests
      // sorted by timestamp, then line; hits = the leading run of hash_ids in an OrderedDict of 10,000
      // entries; then every id of the request is moved to the end or inserted, evicting the oldest):
      // 60,921 of 288,500 blocks = 0.2112, below the unlimited 105,710 as a finite cache must be.
      expect(stats.prefixReuse.lru.numHitBlocks).toBe(60_921);
      expect(stats.prefixReuse.lru.hitRatio).toBeCloseTo(60_921 / 288_500, 12);
      // Timestamps are quantized to ~3 s, so arrivals come in bursts: CV well above Poisson's 1.
      expect(stats.interArrivalCv).toBeGreaterThan(1);
    },
  );

  it.skipIf(!conversation.exists)(
    conversation.exists
      ? 'Mooncake conversation: token-level reuse ceilings at 512-token blocks, and × 0.019 at 10 and 64'
      : `Mooncake conversation ceilings (skipped: ${conversation.path} not found)`,
    async () => {
      const result = await readTraceFile(conversation.path);
      if (!result.ok) throw result.error;
      const stats = computeTraceStats(result.requests, {
        lruCapacityBlocks: 1,
        scaled: { scaling: { input: 0.019 }, blockTokens: 64 },
      });
      // Computed independently of this code by a short Python pass over the file (requests in timestamp
      // order, ties in file order; served = leading cached blocks of ⌊(P−1)/b⌋ × b; the ⌊P/b⌋ full blocks
      // cached after; a cache block keyed by (trace id holding its last token, offset); × 0.019 keeps
      // each id at round-half-up(512 × 0.019) = 10 tokens and the last block at round(last × 0.019) ≥ 1):
      //   512-token blocks, unscaled: 54,063,104 of 144,793,823 prompt tokens (0.373)
      //   × 0.019, 10-token blocks:   1,055,920 of 2,826,623 (0.374)
      //   × 0.019, 64-token blocks:     836,160 of 2,826,623 (0.296): a 64-token block hits only if all
      //   its tokens are shared, and the scaled prompts (235 tokens on average) lose their shared tails.
      expect(stats.reuseCeiling).toMatchObject({ numServedTokens: 54_063_104, numPromptTokens: 144_793_823 });
      expect(stats.scaled?.ceilingAtTraceBlocks).toMatchObject({
        blockTokens: 10,
        numServedTokens: 1_055_920,
        numPromptTokens: 2_826_623,
      });
      expect(stats.scaled?.ceilingAtBlockTokens).toMatchObject({
        blockTokens: 64,
        numServedTokens: 836_160,
        numPromptTokens: 2_826_623,
      });
    },
  );

  it.skipIf(!azureConv.exists)(
    azureConv.exists ? 'Azure conv: 19,366 requests, reuse n/a' : `Azure conv (skipped: ${azureConv.path} not found)`,
    async () => {
      const result = await readTraceFile(azureConv.path);
      if (!result.ok) throw result.error;
      const stats = computeTraceStats(result.requests);
      expect(stats.numRequests).toBe(19_366);
      expect(stats.prefixReuse).toEqual({ available: false, reason: 'no prefix information' });
      // About one hour: 18:15:46.68 → 19:14:08.40 is 58 min 21.72 s = 3501.72 s.
      expect(stats.durationSeconds).toBeCloseTo(3501.7219, 3);
    },
  );
});
