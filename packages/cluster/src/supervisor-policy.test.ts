import { describe, expect, it } from 'vitest';
import { decideRestart, DEFAULT_RESTART_POLICY as P } from './supervisor-policy.js';

describe('decideRestart', () => {
  it('restarts a first crash after the initial delay', () => {
    expect(decideRestart({ restartsAtSeconds: [], upSinceSeconds: 0 }, 5)).toEqual({
      kind: 'restart',
      afterSeconds: 0.5,
      attempt: 1,
    });
  });

  it('doubles the delay for each quick crash in a row, up to the cap', () => {
    // Restarts at 10, 11, 13 s, each crashing again within a second or two: the 4th in a row
    // waits 0.5 · 2³ = 4 s.
    expect(decideRestart({ restartsAtSeconds: [10, 11, 13], upSinceSeconds: 13 }, 14)).toMatchObject({
      afterSeconds: 4,
      attempt: 4,
    });
    // 0.5 · 2⁶ = 32 s is capped at 15 s (attempt 7).
    const times = [1, 2, 3, 4, 5, 6];
    expect(decideRestart({ restartsAtSeconds: times, upSinceSeconds: 6 }, 7)).toMatchObject({
      afterSeconds: 15,
      attempt: 7,
    });
  });

  it('a service that stayed up resetAfterSeconds starts a new run at the initial delay', () => {
    expect(decideRestart({ restartsAtSeconds: [10, 11, 13], upSinceSeconds: 13 }, 13 + 60)).toMatchObject({
      afterSeconds: 0.5,
      attempt: 1,
    });
  });

  it('gives up after maxRestarts within the window', () => {
    const ten = Array.from({ length: P.maxRestarts }, (_, i) => 100 + i * 10); // 100 … 190 s
    expect(decideRestart({ restartsAtSeconds: ten, upSinceSeconds: 190 }, 195).kind).toBe('give-up');
    // The same ten restarts, seen 121 s after the first: only nine are in the window.
    expect(decideRestart({ restartsAtSeconds: ten, upSinceSeconds: 190 }, 221).kind).toBe('restart');
  });
});
