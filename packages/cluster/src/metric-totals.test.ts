import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricTotals } from './metric-totals.js';

// Two services' /metrics pages on 127.0.0.1; one label value holds a `}` and a `,`, which a
// line regex of the form `\{[^}]*\}` cannot read.
const PAGES: Record<string, string> = {
  '/a': [
    '# TYPE oicf_prefill_kv_sent_bytes_total counter',
    'oicf_prefill_kv_sent_bytes_total{link="handoff",component="prefill"} 100',
    'oicf_router_prefix_cached_tokens_total{source="pool}x,y",component="router"} 64',
    'oicf_router_handled_requests_total{component="router"} 9',
    'oicf_kvpool_hit_blocks_total{tier="dram",component="kvpool"} 0',
  ].join('\n'),
  '/b': 'oicf_prefill_kv_sent_bytes_total{component="prefill",link="handoff"} 28\n',
};

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const page = PAGES[req.url ?? ''];
    res.statusCode = page === undefined ? 404 : 200;
    res.end(page ?? 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('metricTotals', () => {
  it('sums KV-movement counters over services by series, skipping zeros, other counters and bad URLs', async () => {
    const got = await metricTotals([`${base}/a`, `${base}/b`, `${base}/missing`, 'http://127.0.0.1:1/metrics']);
    expect(got).toEqual([
      // 100 from /a + 28 from /b: the same series (labels in another order).
      ['oicf_prefill_kv_sent_bytes_total{component="prefill",link="handoff"}', 128],
      ['oicf_router_prefix_cached_tokens_total{component="router",source="pool}x,y"}', 64],
    ]);
  });
});
