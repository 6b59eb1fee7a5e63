import { describe, expect, it } from 'vitest';
import { ClientAbort } from './client-abort.js';

describe('ClientAbort', () => {
  it('calls each listener once, on the first abort, and not one removed before it', () => {
    const a = new ClientAbort();
    const calls: string[] = [];
    const kept = () => calls.push('kept');
    const removed = () => calls.push('removed');
    a.addEventListener('abort', kept, { once: true });
    a.addEventListener('abort', removed);
    a.removeEventListener('abort', removed);
    expect(a.aborted).toBe(false);
    a.abort();
    a.abort();
    expect(a.aborted).toBe(true);
    expect(calls).toEqual(['kept']);
  });

  it('does not call a listener added after the abort (as AbortSignal)', () => {
    const a = new ClientAbort();
    a.abort();
    let called = false;
    a.addEventListener('abort', () => {
      called = true;
    });
    a.abort();
    expect(called).toBe(false);
  });
});
