import { describe, expect, it } from 'vitest';
import { cappedTierPaths, MeasuredPath } from './measured-path.js';

const MiB = 1024 * 1024;

describe('MeasuredPath', () => {
  it('starts at the prior', () => {
    const p = new MeasuredPath({ bandwidthBytesPerSecond: 50e9, latencySeconds: 5e-6 });
    expect(p.path()).toEqual({ bandwidthBytesPerSecond: 50e9, latencySeconds: 5e-6 });
    expect(p.numObservations).toBe(0);
  });

  it('moves toward a measured transfer as a bytes-weighted average', () => {
    // Prior 4 MiB at 4 GB/s: bytes = 4 MiB, seconds = 4 MiB / 4e9.
    // One transfer of 8 MiB in 8 MiB / 1e9 s (1 GB/s), α = 0.2, prior latency 0:
    //   bytes = 0.8·4 MiB + 0.2·8 MiB = 4.8 MiB
    //   seconds = 0.8·(4 MiB / 4e9) + 0.2·(8 MiB / 1e9) = MiB·(0.8e-9 + 1.6e-9) = 2.4e-9·MiB
    //   bandwidth = 4.8 / 2.4e-9 = 2e9
    const p = new MeasuredPath({ bandwidthBytesPerSecond: 4e9, latencySeconds: 0 });
    expect(p.observe(8 * MiB, (8 * MiB) / 1e9)).toBe(true);
    expect(p.bandwidthBytesPerSecond).toBeCloseTo(2e9, -3);
  });

  it('converges to a steady measured bandwidth', () => {
    const p = new MeasuredPath({ bandwidthBytesPerSecond: 50e9, latencySeconds: 0 });
    for (let i = 0; i < 60; i++) p.observe(10 * MiB, (10 * MiB) / 1.5e9);
    expect(p.bandwidthBytesPerSecond / 1.5e9).toBeGreaterThan(0.99);
    expect(p.bandwidthBytesPerSecond / 1.5e9).toBeLessThan(1.01);
  });

  it("subtracts the prior's latency before dividing", () => {
    // α = 1 keeps only the last transfer: 1 MiB in (1 ms + 1 MiB / 2e9) s → exactly 2e9 after removing 1 ms.
    const p = new MeasuredPath({ bandwidthBytesPerSecond: 1e9, latencySeconds: 1e-3 }, { alpha: 1 });
    p.observe(MiB, 1e-3 + MiB / 2e9);
    expect(p.bandwidthBytesPerSecond).toBeCloseTo(2e9, -3);
    expect(p.path().latencySeconds).toBe(1e-3);
  });

  it('ignores small, zero-time and non-finite transfers', () => {
    const p = new MeasuredPath({ bandwidthBytesPerSecond: 1e9, latencySeconds: 0 });
    expect(p.observe(100 * 1024, 1)).toBe(false); // below 256 KiB: latency, not bandwidth
    expect(p.observe(MiB, 0)).toBe(false);
    expect(p.observe(MiB, Number.NaN)).toBe(false);
    expect(p.observe(Number.NaN, 1)).toBe(false);
    expect(p.bandwidthBytesPerSecond).toBe(1e9);
    expect(p.numObservations).toBe(0);
  });

  it('rejects a prior without bandwidth and a bad alpha', () => {
    expect(() => new MeasuredPath({ bandwidthBytesPerSecond: 0, latencySeconds: 0 })).toThrow(/prior bandwidth/);
    expect(() => new MeasuredPath({ bandwidthBytesPerSecond: 1, latencySeconds: 0 }, { alpha: 0 })).toThrow(/alpha/);
  });
});

describe('cappedTierPaths', () => {
  it('caps each tier at the network bandwidth and keeps its latency', () => {
    const tiers = {
      dram: { bandwidthBytesPerSecond: 100e9, latencySeconds: 1e-6 },
      disk: { bandwidthBytesPerSecond: 0.5e9, latencySeconds: 1e-4 },
    };
    expect(cappedTierPaths(tiers, { bandwidthBytesPerSecond: 2e9, latencySeconds: 0 })).toEqual({
      dram: { bandwidthBytesPerSecond: 2e9, latencySeconds: 1e-6 },
      disk: { bandwidthBytesPerSecond: 0.5e9, latencySeconds: 1e-4 },
    });
  });
});
