import { describe, expect, it } from 'vitest';
import { CreditGate, CreditLedger } from './credit.js';

describe('CreditGate', () => {
  it('spends one credit per frame and refuses at zero without going negative', () => {
    const gate = new CreditGate(2);
    expect([gate.take(), gate.take(), gate.take()]).toEqual([true, true, false]);
    expect(gate.available).toBe(0);
    gate.grant(3);
    expect(gate.available).toBe(3);
  });
});

describe('CreditLedger', () => {
  it.each([
    // window 8 → refill every 8/2 = 4 frames, granting the 4 processed
    [8, [0, 0, 0, 4, 0, 0, 0, 4]],
    // window 3 → refill every ⌊3/2⌋ = 1 frame
    [3, [1, 1, 1]],
    // window 1 → refill every max(1, 0) = 1 frame
    [1, [1, 1]],
  ])('window %i grants %j as frames are processed', (window, grants) => {
    const ledger = new CreditLedger(window);
    expect(grants.map(() => ledger.received())).toEqual(grants);
  });

  it('keeps a sender that is never slower than the receiver within its window', () => {
    // Sender and receiver in lock step: the sender spends a credit per frame, the receiver grants back as
    // it processes. Over 1,000 frames with window 8 the sender never runs dry and never holds more than 8.
    const gate = new CreditGate(8);
    const ledger = new CreditLedger(8);
    let dry = 0;
    for (let i = 0; i < 1000; i++) {
      if (!gate.take()) dry++;
      gate.grant(ledger.received());
      expect(gate.available).toBeLessThanOrEqual(8);
    }
    expect(dry).toBe(0);
  });

  it('rejects a window below 1', () => {
    expect(() => new CreditLedger(0)).toThrow(/windowFrames must be an integer ≥ 1/);
  });
});
