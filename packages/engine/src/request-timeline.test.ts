import { describe, expect, it } from 'vitest';
import { RequestTimeline } from './request-timeline.js';

describe('RequestTimeline', () => {
  it('local prefill: the first step is the prefill, the wait before it the queue', () => {
    // Call at 10; KV of the cached prefix gathered at 10.5; the first step (prefill) takes 0.3 s and ends
    // at 11.0, so it started at 10.7: queue 0.2; then tokens at 11.1 and 11.25; finish at 11.25.
    const t = new RequestTimeline(10, true);
    t.kvGathered(10.5);
    expect(t.tokens(11.0, 0.3)).toBeUndefined();
    expect(t.tokens(11.1, 0.1)).toBeCloseTo(0.1, 12);
    expect(t.tokens(11.25, 0.15)).toBeCloseTo(0.15, 12);
    const times = t.finish(11.25);
    expect(times.kvReceiveSeconds).toBeCloseTo(0.5, 12);
    expect(times.queueSeconds).toBeCloseTo(0.2, 12);
    expect(times.prefillSeconds).toBeCloseTo(0.3, 12);
    expect(times.decodeSeconds).toBeCloseTo(0.25, 12);
    expect(times.ttftSeconds).toBeCloseTo(1.0, 12);
    expect(times.e2eSeconds).toBeCloseTo(1.25, 12);
  });

  it('remote prefill: no prefill here; the first step is a decode step', () => {
    const t = new RequestTimeline(0, false);
    t.kvGathered(0.05);
    t.tokens(0.1, 0.02); // first decode step ran 0.08 → 0.1
    const times = t.finish(0.1);
    expect(times.prefillSeconds).toBe(0);
    expect(times.queueSeconds).toBeCloseTo(0.03, 12);
  });

  it('never reports a negative queue when a step outlasts the time since the KV arrived', () => {
    // A step that started before this request joined (it joins between steps) still ends the wait at 0.
    const t = new RequestTimeline(0, true);
    t.kvGathered(1);
    t.tokens(1.2, 0.5);
    const times = t.finish(1.2);
    expect(times.queueSeconds).toBe(0);
    expect(times.prefillSeconds).toBeCloseTo(0.2, 12); // from the KV's arrival at 1 to the token at 1.2
  });
});
