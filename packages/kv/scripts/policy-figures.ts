// Prefix-cache hit ratios of every eviction policy on a Mooncake trace (the figures the KV pool issue
// asks to report beside LRU's), as a Markdown table. A script, not a test: it prints what the
// simulator gives; the tests hold only hand-derivable bounds (mooncake-conversation.test.ts).
//
//   node --import tsx packages/kv/scripts/policy-figures.ts [trace.jsonl] [capacity blocks ...]
//
// Defaults: ../shared/traces/mooncake-fast25/conversation_trace.jsonl beside the checkout, 10,000 and
// 30,000 blocks. hash_ids are used directly as 512-token blocks, requests in timestamp order.
import { readFileSync } from 'node:fs';
import { simulatePrefixCache, simulatePrefixCacheDetailed } from '../src/index.js';

const [
  file = new URL('../../../../shared/traces/mooncake-fast25/conversation_trace.jsonl', import.meta.url).pathname,
  ...caps
] = process.argv.slice(2);
const capacities = caps.length > 0 ? caps.map(Number) : [10_000, 30_000];
const requests = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((line, i) => ({ row: JSON.parse(line) as { timestamp: number; hash_ids: number[] }, i }))
  .sort((a, b) => a.row.timestamp - b.row.timestamp || a.i - b.i)
  .map(({ row }) => ({ blockIds: row.hash_ids, arrivalSeconds: row.timestamp / 1000 }));

const ceiling = simulatePrefixCache(requests, { policy: 'infinite' }).hitRatio;
const lines = [
  `${requests.length} requests of ${file.split('/').pop()}; unlimited-cache hit ratio ${ceiling.toFixed(3)}.`,
  '',
  '| capacity (blocks) | policy | hit ratio | share of recompute saved |',
  '| ---: | --- | ---: | ---: |',
];
for (const capacityBlocks of capacities) {
  for (const policy of ['lru', 's3-fifo', 'lfu', 'oicf'] as const) {
    const r = simulatePrefixCacheDetailed(requests, { policy, capacityBlocks });
    lines.push(
      `| ${capacityBlocks.toLocaleString('en-US')} | ${policy} | ${r.hitRatio.toFixed(3)} | ${r.savedRecomputeRatio.toFixed(3)} |`,
    );
  }
}
console.log(lines.join('\n'));
