import { describe, expect, it } from 'vitest';
import { TransferLinks } from './transfer-links.js';

const tiers = {
  dram: { bandwidthBytesPerSecond: 100e9, latencySeconds: 1e-6 },
  disk: { bandwidthBytesPerSecond: 2e9, latencySeconds: 1e-4 },
};
const rdma = { bandwidthBytesPerSecond: 50e9, latencySeconds: 5e-6 };
const KV_BYTES_PER_TOKEN = 4096;

describe('TransferLinks', () => {
  it('prices with the catalog until something is measured', () => {
    const links = new TransferLinks(tiers, rdma, true, KV_BYTES_PER_TOKEN);
    expect(links.handoffPath()).toEqual(rdma);
    expect(links.tierPaths()).toEqual(tiers);
  });

  it('learns the handoff from tokens × KV bytes per token over the push time', () => {
    // α = 1 would keep only the last transfer; with the default α = 0.2 and a 4 MiB prior at 50 GB/s,
    // one 2,048-token handoff (8 MiB) in 8 MiB / 1e9 s + 5 µs latency gives
    //   bytes = 0.8·4 + 0.2·8 = 4.8 MiB, seconds = MiB·(0.8·4/50e9 + 0.2·8/1e9) = MiB·1.664e-9
    //   bandwidth = 4.8 / 1.664e-9 ≈ 2.885e9 B/s.
    const links = new TransferLinks(tiers, rdma, true, KV_BYTES_PER_TOKEN);
    const MiB = 1024 * 1024;
    links.observe({ handoffTokens: 2048, handoffSeconds: 5e-6 + (8 * MiB) / 1e9 });
    expect(links.handoffPath().bandwidthBytesPerSecond).toBeCloseTo(4.8 / 1.664e-9, -5);
    expect(links.tierPaths()).toEqual(tiers);
  });

  it('caps every pool tier at the measured pool → worker bandwidth, from either kind of fetch', () => {
    const links = new TransferLinks(tiers, rdma, true, KV_BYTES_PER_TOKEN);
    for (let i = 0; i < 40; i++) {
      // 1,024 tokens = 4 MiB at 1.5 GB/s, alternately fetched by a prefill worker and a decode worker.
      const seconds = (1024 * KV_BYTES_PER_TOKEN) / 1.5e9;
      links.observe(
        i % 2 === 0
          ? { prefillPoolTokens: 1024, prefillFetchSeconds: seconds }
          : { decodePoolTokens: 1024, decodeFetchSeconds: seconds },
      );
    }
    const paths = links.tierPaths();
    expect(paths.dram?.bandwidthBytesPerSecond).toBeGreaterThan(1.49e9);
    expect(paths.dram?.bandwidthBytesPerSecond).toBeLessThan(1.51e9);
    expect(paths.dram?.latencySeconds).toBe(1e-6);
    expect(links.poolRead.numObservations).toBe(40);
    // The handoff was never measured.
    expect(links.handoffPath()).toEqual(rdma);
  });

  it('ignores transfers of nothing (no cached tokens, nothing shipped)', () => {
    const links = new TransferLinks(tiers, rdma, true, KV_BYTES_PER_TOKEN);
    links.observe({ prefillPoolTokens: 0, prefillFetchSeconds: 0.01, handoffTokens: 0, handoffSeconds: 0.01 });
    links.observe({ decodePoolTokens: -64, decodeFetchSeconds: 0.01 });
    expect(links.poolRead.numObservations + links.handoff.numObservations).toBe(0);
  });

  it('keeps the catalog figures when learning is off', () => {
    const links = new TransferLinks(tiers, rdma, false, KV_BYTES_PER_TOKEN);
    links.observe({ handoffTokens: 4096, handoffSeconds: 1, prefillPoolTokens: 4096, prefillFetchSeconds: 1 });
    expect(links.handoffPath()).toEqual(rdma);
    expect(links.tierPaths()).toEqual(tiers);
  });

  it('prices with new tier priors from the moment they are set, before anything is measured', () => {
    const links = new TransferLinks(tiers, rdma, true, KV_BYTES_PER_TOKEN);
    // The pool now reports a faster dram (paced to 200 GB/s) and a slower disk: both take effect as
    // given, uncapped (the cap moves to the new fastest tier, 200 GB/s, which changes nothing).
    const reported = {
      dram: { bandwidthBytesPerSecond: 200e9, latencySeconds: 1e-6 },
      disk: { bandwidthBytesPerSecond: 1e9, latencySeconds: 2e-4 },
    };
    links.setTierPriors(reported);
    expect(links.tierPaths()).toEqual(reported);
    expect(links.tierPriors()).toEqual(reported);
    expect(links.poolRead.bandwidthBytesPerSecond).toBe(200e9);
  });

  it('keeps what it learned of the pool → worker path when the priors change, and caps the new ones', () => {
    const links = new TransferLinks(tiers, rdma, true, KV_BYTES_PER_TOKEN);
    // 40 fetches at 1.5 GB/s bring the estimate to within 0.01 GB/s of it
    // (the 4 MiB prior's share after 40 steps is 0.8^40 ≈ 1.3e-4), as in the capping test above.
    const seconds = (1024 * KV_BYTES_PER_TOKEN) / 1.5e9;
    for (let i = 0; i < 40; i++) links.observe({ prefillPoolTokens: 1024, prefillFetchSeconds: seconds });
    links.setTierPriors({
      dram: { bandwidthBytesPerSecond: 200e9, latencySeconds: 1e-6 },
      disk: { bandwidthBytesPerSecond: 1e9, latencySeconds: 2e-4 },
    });
    const paths = links.tierPaths();
    // dram: min(200e9, ~1.5e9) ≈ 1.5e9; disk: min(1e9, ~1.5e9) = 1e9 (its own new prior is the slower).
    expect(paths.dram?.bandwidthBytesPerSecond).toBeGreaterThan(1.49e9);
    expect(paths.dram?.bandwidthBytesPerSecond).toBeLessThan(1.51e9);
    expect(paths.disk).toEqual({ bandwidthBytesPerSecond: 1e9, latencySeconds: 2e-4 });
    expect(links.poolRead.numObservations).toBe(40);
  });

  it('refuses priors with no tier in them', () => {
    const links = new TransferLinks(tiers, rdma, true, KV_BYTES_PER_TOKEN);
    expect(() => links.setTierPriors({})).toThrow(/no pool tier paths/);
    expect(links.tierPaths()).toEqual(tiers);
  });
});
