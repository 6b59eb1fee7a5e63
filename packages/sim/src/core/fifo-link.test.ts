import { describe, expect, it } from 'vitest';
import { FifoLink, transferOver } from './fifo-link.js';

describe('transferOver', () => {
  it('queues transfers on a link first come first served; latency overlaps the next one', () => {
    // 1 GB/s, 1 ms latency. A: 10 MB ready at 0 → wire 0–10 ms, done 11 ms.
    // B: 5 MB ready at 2 ms → waits for the wire until 10 ms, wire 10–15 ms, done 16 ms.
    const link = new FifoLink('nic', { bandwidthBytesPerSecond: 1e9, latencySeconds: 0.001 });
    expect(transferOver([link], 0, 10e6)).toBeCloseTo(0.011, 12);
    expect(transferOver([link], 0.002, 5e6)).toBeCloseTo(0.016, 12);
    // C ready at 20 ms finds the wire free: 1 MB → 21 ms + 1 ms.
    expect(transferOver([link], 0.02, 1e6)).toBeCloseTo(0.022, 12);
    expect(link.numBytes).toBe(16e6);
    expect(link.busySeconds).toBeCloseTo(0.016, 12);
  });

  it('holds every link of a path from the latest free time at the slowest bandwidth', () => {
    const fast = new FifoLink('a', { bandwidthBytesPerSecond: 10e9, latencySeconds: 0.0001 });
    const slow = new FifoLink('b', { bandwidthBytesPerSecond: 1e9, latencySeconds: 0.002 });
    transferOver([slow], 0, 3e6); // slow busy until 3 ms
    // 2 MB over both, ready at 1 ms: starts at 3 ms, 2 ms on the wire at 1 GB/s, + the larger latency 2 ms.
    expect(transferOver([fast, slow], 0.001, 2e6)).toBeCloseTo(0.007, 12);
    expect(fast.freeAtSeconds).toBeCloseTo(0.005, 12);
  });

  it('moves nothing for zero bytes', () => {
    const link = new FifoLink('a', { bandwidthBytesPerSecond: 1e9, latencySeconds: 0.001 });
    expect(transferOver([link], 0.5, 0)).toBe(0.5);
    expect(link.numBytes).toBe(0);
  });

  it('prices every transfer alone on a link that does not queue', () => {
    const paced = new FifoLink('pacer', { bandwidthBytesPerSecond: 1e9, latencySeconds: 0.001 }, false);
    // Two 10 MB transfers ready at 0: each 10 ms + 1 ms, neither waits for the other.
    expect(transferOver([paced], 0, 10e6)).toBeCloseTo(0.011, 12);
    expect(transferOver([paced], 0, 10e6)).toBeCloseTo(0.011, 12);
    expect(paced.numBytes).toBe(20e6);
  });
});
