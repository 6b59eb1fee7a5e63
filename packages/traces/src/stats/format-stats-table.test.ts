import { describe, expect, it } from 'vitest';
import { readTraceText } from '../readers/read-trace.js';
import { azureSmall, mooncakeSmall } from '../testing/fixtures.js';
import { formatInteger, formatTraceStatsTable } from './format-stats-table.js';
import { computeTraceStats } from './trace-stats.js';

function statsOf(text: string, lruCapacityBlocks = 10_000) {
  const result = readTraceText(text);
  if (!result.ok) throw result.error;
  return computeTraceStats(result.requests, { lruCapacityBlocks });
}

describe('formatTraceStatsTable', () => {
  it('renders the Mooncake fixture', () => {
    const table = formatTraceStatsTable(statsOf(mooncakeSmall(), 3), { source: 'm.jsonl', format: 'mooncake' });
    // Values from the hand derivations in trace-stats.test.ts: rate 6/9, CV 0.8165, means 1132.7 and 17.7,
    // reuse 7/15 = 0.467 and 4/15 = 0.267, ceiling 2,048 / 6,796 = 0.301.
    expect(table).toBe(
      [
        'trace       m.jsonl (mooncake)',
        'requests    6',
        'sessions    -',
        'duration    9.0 s',
        'rate        0.667 req/s',
        'burstiness  0.82 (CV of inter-arrival times; Poisson = 1)',
        '',
        'tokens     mean    p50    p90    p99    max',
        'input   1,132.7  1,000  2,048  2,048  2,048',
        'output     17.7     10     40     40     40',
        '',
        'prefix reuse      block-level, 15 blocks of 512 tokens',
        '  infinite cache  0.467',
        '  LRU 3 blocks    0.267',
        '',
        // Token-level ceiling 2,048 / 6,796 derived in reuse-ceiling.test.ts.
        'reuse ceiling               prompt tokens an unlimited prefix cache could serve ÷ prompt tokens sent',
        '  512-token blocks (trace)  0.301  (2,048 of 6,796 tokens)',
        '',
      ].join('\n'),
    );
  });

  it('says n/a for reuse without prefix information and lists skipped lines', () => {
    const table = formatTraceStatsTable(statsOf(azureSmall()), {
      source: 'a.csv',
      format: 'azure',
      numSkippedLines: 2,
    });
    expect(table).toContain('skipped     2 bad lines');
    expect(table).toContain('prefix reuse  n/a (no prefix information)');
  });

  it('says "1 block" for an LRU of one block', () => {
    const table = formatTraceStatsTable(statsOf(mooncakeSmall(), 1), { source: 'm.jsonl', format: 'mooncake' });
    expect(table).toMatch(/^ {2}LRU 1 block {2,}\d/m);
    expect(table).not.toContain('1 blocks');
  });

  it('formats integers with fixed en-US grouping', () => {
    expect([formatInteger(12031), formatInteger(1e6), formatInteger(7)]).toEqual(['12,031', '1,000,000', '7']);
  });

  it('shows the scaled trace only when a factor is not 1, and the cluster-block ceiling either way', () => {
    const result = readTraceText(mooncakeSmall());
    if (!result.ok) throw result.error;
    const table = formatTraceStatsTable(computeTraceStats(result.requests, { scaled: { blockTokens: 16 } }), {
      source: 'm.jsonl',
      format: 'mooncake',
    });
    expect(table).not.toContain('scaled');
    // Unscaled at 16-token blocks: 1000 [0,1] caches 62 blocks (⌊1000/16⌋), of which the 32 in block 0 are
    // shared; 1100 [0,2,3] serves 32 × 16 = 512; 1536 [0,1,4] serves block 0 (512) and the 30 full 16-token
    // blocks of 1's first 488 tokens (480) = 992; 512 [0]: ⌊511/16⌋ = 31 → 496; 2048 [0,2,3,5]: 0, 2 (1,024)
    // and 3's first 76 tokens, 4 blocks cached by 1100 (64) = 1,088; 600 [6,7] → 0.
    // Σ = 512 + 992 + 496 + 1,088 = 3,088 of 6,796.
    expect(table).toContain('  16-token blocks           0.454  (3,088 of 6,796 tokens)\n');
  });
});
