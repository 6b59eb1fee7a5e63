import { FakeClock } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import {
  type FetchText,
  PeriodicScraper,
  poolScrapeTarget,
  scrapeTargets,
  workerScrapeTargets,
} from './metrics-scraper.js';

const targets = [
  { name: 'router', url: 'http://r/metrics' },
  { name: 'decode-0', url: 'http://d0/metrics' },
];

describe('scrapeTargets', () => {
  it('parses each target, keeps only the wanted names, records failures without throwing', async () => {
    const fetchText: FetchText = async (url) => {
      if (url === 'http://d0/metrics') throw new Error('connect ECONNREFUSED');
      return '# TYPE oicf_router_admission_rejected_requests_total counter\noicf_router_admission_rejected_requests_total{reason="slo"} 3\nprocess_cpu_seconds_total 9\n';
    };
    const snap = await scrapeTargets(targets, 1.5, new Set(['oicf_router_admission_rejected_requests_total']), {
      fetchText,
    });
    expect(snap).toEqual({
      atSeconds: 1.5,
      results: [
        {
          target: targets[0],
          ok: true,
          samples: [{ name: 'oicf_router_admission_rejected_requests_total', labels: { reason: 'slo' }, value: 3 }],
          declared: ['oicf_router_admission_rejected_requests_total'],
        },
        { target: targets[1], ok: false, error: 'connect ECONNREFUSED', samples: [] },
      ],
    });
  });
});

describe('PeriodicScraper', () => {
  it('scrapes every interval from start to stop, times relative to the origin', async () => {
    const clock = new FakeClock(50);
    let n = 0;
    const fetchText: FetchText = async () => `oicf_decode_waiting_requests ${n++}\n`;
    const scraper = new PeriodicScraper(targets.slice(0, 1), new Set(['oicf_decode_waiting_requests']), clock, 49, 1, {
      fetchText,
    });
    scraper.start();
    await new Promise((r) => setImmediate(r));
    await clock.advance(2.5);
    const snaps = await scraper.stop();
    // Scrapes at clock 50, 51, 52 → 1, 2, 3 s after the origin 49; values 0, 1, 2.
    expect(snaps.map((s) => [s.atSeconds, s.results[0]?.samples[0]?.value])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
  });

  it('does nothing without targets', async () => {
    const scraper = new PeriodicScraper([], new Set(), new FakeClock(), 0, 1);
    scraper.start();
    expect(await scraper.stop()).toEqual([]);
  });
});

describe('poolScrapeTarget', () => {
  it.each([
    [
      'a listed pool',
      { data: [], pool: { http_address: 'http://h:5/' } },
      { name: 'kv-pool', url: 'http://h:5/metrics' },
    ],
    ['no pool', { data: [], pool: null }, undefined],
    ['a pool without an HTTP address', { data: [], pool: { grpc_address: 'h:3', http_address: '' } }, undefined],
    ['an array body', [{ id: 'x' }], undefined],
  ])('%s', (_name, body, expected) => {
    expect(poolScrapeTarget(body)).toEqual(expected);
  });
});

describe('workerScrapeTargets', () => {
  it.each([
    [
      'an array with http_url',
      [{ id: 'd0', http_url: 'http://127.0.0.1:9/' }],
      [{ name: 'd0', url: 'http://127.0.0.1:9/metrics' }],
    ],
    [
      '{ workers } with a bare address',
      { workers: [{ worker_id: 'p0', httpAddress: '127.0.0.1:7' }] },
      [{ name: 'p0', url: 'http://127.0.0.1:7/metrics' }],
    ],
    [
      '{ data } with endpoints.http',
      { data: [{ workerId: 'w', endpoints: { http: 'http://h:1' } }] },
      [{ name: 'w', url: 'http://h:1/metrics' }],
    ],
    [
      'an explicit metrics URL wins',
      [{ id: 'x', metrics_url: 'http://m/x', http_url: 'http://h' }],
      [{ name: 'x', url: 'http://m/x' }],
    ],
    [
      'no id, no address',
      [{ http: 'h:2' }, { id: 'grpc-only', grpc_address: 'h:3' }],
      [{ name: 'worker-0', url: 'http://h:2/metrics' }],
    ],
    [
      "the router's GET /v1/oicf/workers",
      {
        object: 'list',
        data: [{ worker_id: 'decode-0', role: 'decode', grpc_address: 'h:1', http_address: 'http://h:2' }],
        pool: { grpc_address: 'h:3', ws_address: 'ws://h:4', http_address: 'http://h:5' },
      },
      [{ name: 'decode-0', url: 'http://h:2/metrics' }],
    ],
    ['not a list', { nope: 1 }, []],
    ['null', null, []],
  ])('%s', (_name, body, expected) => {
    expect(workerScrapeTargets(body)).toEqual(expected);
  });
});
