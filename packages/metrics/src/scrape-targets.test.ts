import { describe, expect, it } from 'vitest';
import { hostPort, scrapeTargetGroups } from './scrape-targets.js';

describe('scrapeTargetGroups (file_sd / http_sd JSON)', () => {
  it('gives each service one group with its address and the oicf labels', () => {
    expect(
      scrapeTargetGroups([
        { address: 'http://127.0.0.1:8080', service: 'router', role: 'router', cluster: '/tmp/run' },
        { address: 'http://127.0.0.1:40001', service: 'decode-0', role: 'decode', workerId: 'decode-0' },
      ]),
    ).toEqual([
      { targets: ['127.0.0.1:8080'], labels: { service: 'router', role: 'router', cluster: '/tmp/run' } },
      { targets: ['127.0.0.1:40001'], labels: { service: 'decode-0', role: 'decode', worker_id: 'decode-0' } },
    ]);
  });

  it.each([
    ['http://127.0.0.1:9090', '127.0.0.1:9090'],
    ['http://127.0.0.1:9090/metrics', '127.0.0.1:9090'],
    ['127.0.0.1:7000', '127.0.0.1:7000'],
    ['http://[::1]:7000', '[::1]:7000'],
    ['http://router', 'router:80'],
  ])('%s → %s', (address, expected) => {
    expect(hostPort(address)).toBe(expected);
  });
});
