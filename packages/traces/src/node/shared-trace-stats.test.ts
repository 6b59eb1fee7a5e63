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
