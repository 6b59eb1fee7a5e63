import { describe, expect, it } from 'vitest';
import { parseStealTicks, ReadProbe, readRateGBps } from './read-probe.js';

describe('readRateGBps', () => {
  it('divides the bytes by the median pass', () => {
    // 64 MiB = 67,108,864 B; passes 20, 10, 6.7 ms → median 10 ms → 6.7108864 GB/s.
    expect(readRateGBps(64 * 2 ** 20, [0.02, 0.01, 0.0067])).toBeCloseTo(6.7108864, 9);
  });
  it('refuses no passes', () => {
    expect(() => readRateGBps(1, [])).toThrow(/no passes/);
  });
});

describe('parseStealTicks', () => {
  it("reads the cpu line's 8th value, not a per-CPU line's", () => {
    // user nice system idle iowait irq softirq steal guest guest_nice: steal = 3982.
    const stat =
      'cpu  3681319 2257586 710685 2017361 2511 0 28477 3982 0 0\n' +
      'cpu0 1834892 1128537 352352 1018582 582 0 13979 2032 0 0\n';
    expect(parseStealTicks(stat)).toBe(3982);
  });
  it('is undefined without a cpu line', () => {
    expect(parseStealTicks('intr 1 2 3\n')).toBeUndefined();
  });
});

describe('ReadProbe', () => {
  it('reports one positive rate per size, in the order given', () => {
    const rates = new ReadProbe([1, 2]).measure(2);
    expect(rates.map((r) => r.mib)).toEqual([1, 2]);
    for (const r of rates) expect(r.gbps).toBeGreaterThan(0);
  });
});
