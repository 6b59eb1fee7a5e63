import { describe, expect, it } from 'vitest';
import { worker } from '../testing-fixtures.js';
import { decidePrefillRetry, type PrefillRetryInput } from './prefill-retry.js';

const workers = [
  worker('d0'),
  worker('p0', { role: 'prefill', numQueuedPrefillTokens: 0 }),
  worker('p1', { role: 'prefill', numQueuedPrefillTokens: 900 }),
  worker('p2', { role: 'prefill', numQueuedPrefillTokens: 100 }),
  worker('p3', { role: 'prefill', healthy: false }),
];
const base: PrefillRetryInput = {
  attempts: 1,
  maxRemoteAttempts: 2,
  code: 'UNAVAILABLE',
  clientGone: false,
  workers,
  tried: new Set(['p0']),
  decodeWorkerId: 'd0',
};

describe('decidePrefillRetry', () => {
  it('retries on the healthy untried prefill worker with the fewest queued tokens', () => {
    // p0 tried, p3 unhealthy; p2 (100 queued) before p1 (900).
    expect(decidePrefillRetry(base)).toEqual({ kind: 'remote', prefillWorkerId: 'p2' });
  });

  it('falls back to local prefill once the remote attempts are used up, or nobody is left', () => {
    expect(decidePrefillRetry({ ...base, attempts: 2 })).toEqual({ kind: 'local' });
    expect(decidePrefillRetry({ ...base, tried: new Set(['p0', 'p1', 'p2']) })).toEqual({ kind: 'local' });
  });

  it.each([
    [{ clientGone: true }, /client went away/],
    [{ code: 'INVALID_ARGUMENT' }, /INVALID_ARGUMENT is not fixed by a retry/],
    [
      { attempts: 2, workers: workers.map((w) => (w.workerId === 'd0' ? { ...w, healthy: false } : w)) },
      /d0 is unhealthy/,
    ],
  ])('fails when %j', (over, reason) => {
    const d = decidePrefillRetry({ ...base, ...over });
    expect(d.kind).toBe('fail');
    expect(d.kind === 'fail' && d.reason).toMatch(reason);
  });
});
