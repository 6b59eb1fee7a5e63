import { describe, expect, it } from 'vitest';
import { FakeClock, realClock } from './clock.js';
import { runClockContract } from './testing/clock-contract.js';

runClockContract('realClock', () => ({
  clock: realClock,
  advance: (seconds) => new Promise((r) => setTimeout(r, seconds * 1000 + 2)),
}));

runClockContract('FakeClock', () => {
  const clock = new FakeClock(100);
  return { clock, advance: (seconds) => clock.advance(seconds) };
});

describe('FakeClock', () => {
  it('stands at each sleeper deadline when it wakes, and lets it sleep again in the same advance', async () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(0.5);
        ticks.push(clock.nowSeconds());
      }
    })();
    await clock.advance(2);
    await loop;
    expect(ticks).toEqual([0.5, 1, 1.5]);
    expect(clock.nowSeconds()).toBe(2);
    expect(clock.numSleepers()).toBe(0);
  });

  it('refuses to go backwards', async () => {
    await expect(new FakeClock().advance(-1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
