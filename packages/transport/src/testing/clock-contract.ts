// The contract every Clock adapter passes (used by clock.test.ts for realClock and FakeClock). Other
// packages can run it against their own clock adapters: runClockContract('mine', () => ({ clock, advance })).
import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';

export interface ClockUnderTest {
  clock: Clock;
  /** Lets `seconds` pass for this clock (a real wait for a real clock, an advance for a fake). */
  advance(seconds: number): Promise<void>;
}

export function runClockContract(name: string, make: () => ClockUnderTest): void {
  describe(`Clock contract: ${name}`, () => {
    it('never goes backwards and moves by at least the time advanced', async () => {
      const { clock, advance } = make();
      const t0 = clock.nowSeconds();
      await advance(0.02);
      const t1 = clock.nowSeconds();
      expect(t1 - t0).toBeGreaterThanOrEqual(0.02 - 0.001); // 1 ms slack for timer rounding
      expect(clock.nowSeconds()).toBeGreaterThanOrEqual(t1);
    });

    it('wakes a sleeper no earlier than its deadline', async () => {
      const { clock, advance } = make();
      const t0 = clock.nowSeconds();
      let wokeAt: number | undefined;
      const p = clock.sleep(0.03).then(() => {
        wokeAt = clock.nowSeconds();
      });
      await advance(0.01);
      expect(wokeAt).toBeUndefined();
      await advance(0.05);
      await p;
      expect((wokeAt as number) - t0).toBeGreaterThanOrEqual(0.03 - 0.001);
    });

    it('wakes sleepers in deadline order, ties in call order', async () => {
      const { clock, advance } = make();
      const order: string[] = [];
      const all = Promise.all([
        clock.sleep(0.03).then(() => order.push('c')),
        clock.sleep(0.01).then(() => order.push('a')),
        clock.sleep(0.02).then(() => order.push('b1')),
        clock.sleep(0.02).then(() => order.push('b2')),
      ]);
      await advance(0.06);
      await all;
      expect(order).toEqual(['a', 'b1', 'b2', 'c']);
    });

    it('rejects with CANCELLED when the signal aborts, before or during the sleep', async () => {
      const { clock, advance } = make();
      const ac = new AbortController();
      const p = clock.sleep(10, ac.signal).catch((e: unknown) => e);
      ac.abort();
      expect(await p).toMatchObject({ code: 'CANCELLED' });
      await expect(clock.sleep(1, ac.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
      await advance(0);
    });

    it('resolves a zero sleep', async () => {
      const { clock, advance } = make();
      const p = clock.sleep(0);
      await advance(0);
      await expect(p).resolves.toBeUndefined();
    });
  });
}
