import type { PoolTierId } from '@oicf/core';
import { catalogPoolTierPaths, TransferLinks, type TransferPath } from '@oicf/sched';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { noPool, type PoolPort } from './pool-client.js';
import { PoolReadPaths } from './pool-read-paths.js';

const rdma = { bandwidthBytesPerSecond: 50e9, latencySeconds: 2e-6 };
const slowCxl = { bandwidthBytesPerSecond: 1e6, latencySeconds: 0.5 };

type Report = ReadonlyMap<PoolTierId, TransferPath>;
const report = (entries: [PoolTierId, TransferPath][] = []): Report => new Map(entries);

/** A pool port whose Stats answers come from `answers`, one per call (an Error is thrown). */
function scriptedPool(answers: Array<Report | Error>): PoolPort {
  return {
    ...noPool,
    wsAddress: 'ws://127.0.0.1:9',
    readPaths: async () => {
      const next = answers.shift();
      if (next === undefined || next instanceof Error) throw next ?? new Error('no more answers');
      return next;
    },
  };
}

function setup(answers: Array<Report | Error>) {
  const lines: string[] = [];
  const links = new TransferLinks(catalogPoolTierPaths(), rdma, true, 4096);
  const paths = new PoolReadPaths(
    scriptedPool(answers),
    links,
    createLogger('info', 'router', (l) => lines.push(l)),
  );
  const events = () => lines.map((l) => (JSON.parse(l) as { event: string }).event);
  return { links, paths, events };
}

describe('PoolReadPaths', () => {
  it('prices with the catalog while the pool is down and with its report once it answers', async () => {
    const { links, paths, events } = setup([new Error('UNAVAILABLE'), report([['cxl', slowCxl]])]);
    expect(await paths.refresh()).toBe(false);
    expect(links.tierPaths()).toEqual(catalogPoolTierPaths());
    expect(await paths.refresh()).toBe(true);
    // The reported tier takes the pool's figures; the others keep the catalog's.
    expect(links.tierPaths()).toEqual({ ...catalogPoolTierPaths(), cxl: slowCxl });
    expect(events()).toEqual(['pool_tier_paths_from_catalog', 'pool_tier_paths_reported', 'pool_tier_paths_updated']);
  });

  it('keeps the last report through an outage, logs the outage once, and takes a changed report after it', async () => {
    const faster = { bandwidthBytesPerSecond: 2e9, latencySeconds: 1e-3 };
    const { links, paths, events } = setup([
      report([['cxl', slowCxl]]),
      new Error('UNAVAILABLE'),
      report(),
      report([['cxl', slowCxl]]),
      report([['cxl', faster]]),
    ]);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await paths.refresh());
    // Changed on the first report and on the new figures; the outage, the empty report and the same
    // figures again change nothing.
    expect(results).toEqual([true, false, false, false, true]);
    expect(links.tierPaths().cxl).toEqual(faster);
    expect(events()).toEqual([
      'pool_tier_paths_updated',
      'pool_tier_paths_unavailable',
      'pool_tier_paths_reported',
      'pool_tier_paths_updated',
    ]);
  });

  it('does nothing without a pool', async () => {
    const links = new TransferLinks(catalogPoolTierPaths(), rdma, true, 4096);
    const lines: string[] = [];
    const paths = new PoolReadPaths(
      noPool,
      links,
      createLogger('debug', 'router', (l) => lines.push(l)),
    );
    expect(await paths.refresh()).toBe(false);
    paths.start(0.001);
    paths.stop();
    expect(lines).toEqual([]);
  });
});
