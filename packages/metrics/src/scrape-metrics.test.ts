import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ScrapeCounter } from './scrape-counter.js';
import { ScrapeHistogram } from './scrape-histogram.js';

/** Two registries with the same default label, one for prom-client's metric and one for ours. */
function registries(): [Registry, Registry] {
  const a = new Registry();
  const b = new Registry();
  a.setDefaultLabels({ component: 'router' });
  b.setDefaultLabels({ component: 'router' });
  return [a, b];
}

describe('ScrapeHistogram', () => {
  it('counts an observation on a bound in that bound (le is inclusive) and above the last in +Inf only', async () => {
    const [, reg] = registries();
    const h = new ScrapeHistogram({ name: 'x_seconds', help: 'x', buckets: [0.1, 1], registers: [reg] });
    h.observe(0.1); // on the first bound: le=0.1 → 1
    h.observe(0.5); // in (0.1, 1]: le=1 → 2 (cumulative)
    h.observe(7); // above 1: only +Inf and the count see it → 3
    const text = await reg.metrics();
    expect(text).toContain('x_seconds_bucket{le="0.1",component="router"} 1');
    expect(text).toContain('x_seconds_bucket{le="1",component="router"} 2');
    expect(text).toContain('x_seconds_bucket{le="+Inf",component="router"} 3');
    expect(text).toContain('x_seconds_sum{component="router"} 7.6'); // 0.1 + 0.5 + 7
    expect(text).toContain('x_seconds_count{component="router"} 3');
  });

  it("scrapes exactly as prom-client's Histogram fed the same observations", async () => {
    const [ra, rb] = registries();
    const spec = { name: 'vllm:e2e_request_latency_seconds', help: 'E2E.', labelNames: ['model_name', 'kind'] };
    const buckets = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10];
    const theirs = new Histogram({ ...spec, buckets, registers: [ra] });
    const ours = new ScrapeHistogram({ ...spec, buckets, registers: [rb] });
    for (const h of [theirs, ours] as const) {
      const hist = h as unknown as ScrapeHistogram<'model_name' | 'kind'>;
      hist.zero({ model_name: 'tiny', kind: 'a' });
      hist.zero({ model_name: 'idle', kind: 'a' }); // zeroed, never observed: all buckets 0
      for (const v of [0.01, 0.3, 0.31, 1, 2.5, 11, 0.75]) hist.observe({ model_name: 'tiny', kind: 'a' }, v);
      hist.observe({ kind: 'b', model_name: 'tiny' }, 0.4); // label order does not matter
      hist.labels('tiny', 'b').observe(3);
      hist.observe({ model_name: 'only-model' }, 0.2); // a label left out
    }
    expect(await rb.metrics()).toBe(await ra.metrics());
    expect(await rb.getMetricsAsJSON()).toEqual(await ra.getMetricsAsJSON());
  });

  it('refuses what prom-client refuses: an unknown label, a non-finite value, the le label', () => {
    const [, reg] = registries();
    const h = new ScrapeHistogram({ name: 'y', help: 'y', labelNames: ['model_name'], buckets: [1], registers: [reg] });
    expect(() => h.observe({ model: 'x' } as never, 1)).toThrow('Added label "model" is not included');
    expect(() => h.observe({ model_name: 'x' }, Number.NaN)).toThrow('Value is not a valid number');
    expect(() => h.labels({ model_name: 'y' }).observe(Number.POSITIVE_INFINITY)).toThrow(
      'Value is not a valid number',
    );
    expect(
      () => new ScrapeHistogram({ name: 'z', help: 'z', labelNames: ['le'], buckets: [1], registers: [] }),
    ).toThrow('le is a reserved label keyword');
  });

  it('a refused update makes no series, as with prom-client', async () => {
    const [ra, rb] = registries();
    const theirs = new Histogram({ name: 'h', help: 'h', labelNames: ['model_name'], buckets: [1], registers: [ra] });
    const ours = new ScrapeHistogram({
      name: 'h',
      help: 'h',
      labelNames: ['model_name'],
      buckets: [1],
      registers: [rb],
    });
    const theirCounter = new Counter({ name: 'c_total', help: 'c', labelNames: ['model_name'], registers: [ra] });
    const ourCounter = new ScrapeCounter({ name: 'c_total', help: 'c', labelNames: ['model_name'], registers: [rb] });
    for (const [h, c] of [
      [theirs, theirCounter],
      [ours, ourCounter],
    ] as const) {
      expect(() => h.observe({ model_name: 'nan' }, Number.NaN)).toThrow();
      expect(() => h.labels({ model_name: 'inf' }).observe(Number.POSITIVE_INFINITY)).toThrow();
      expect(() => c.inc({ model_name: 'down' }, -1)).toThrow();
      expect(() => c.labels({ model_name: 'down2' }).inc(-1)).toThrow();
    }
    const text = await rb.metrics();
    expect(text).toBe(await ra.metrics());
    expect(text).not.toMatch(/model_name="(nan|inf|down|down2)"/);
  });

  it('reset forgets every series, as prom-client does', async () => {
    const [ra, rb] = registries();
    const theirs = new Histogram({ name: 'h', help: 'h', buckets: [1], registers: [ra] });
    const ours = new ScrapeHistogram({ name: 'h', help: 'h', buckets: [1], registers: [rb] });
    expect(await rb.metrics()).toBe(await ra.metrics()); // a histogram without labels shows its zero series
    theirs.observe(2);
    ours.observe(2);
    theirs.reset();
    ours.reset();
    expect(await rb.metrics()).toBe(await ra.metrics());
  });
});

describe('ScrapeCounter', () => {
  it("scrapes exactly as prom-client's Counter given the same increments", async () => {
    const [ra, rb] = registries();
    const spec = { name: 'vllm:request_success_total', help: 'Done.', labelNames: ['model_name', 'finished_reason'] };
    const theirs = new Counter({ ...spec, registers: [ra] });
    const ours = new ScrapeCounter({ ...spec, registers: [rb] });
    const olds: Array<{ inc(value?: number): void }> = [];
    for (const c of [theirs, ours]) {
      const counter = c as unknown as ScrapeCounter<'model_name' | 'finished_reason'>;
      counter.inc({ model_name: 'tiny', finished_reason: 'stop' }, 0); // starts at 0
      counter.inc({ model_name: 'tiny', finished_reason: 'length' });
      counter.inc({ model_name: 'tiny', finished_reason: 'length' }, 2.5);
      counter.labels('tiny', 'abort').inc(4);
      const child = counter.labels({ model_name: 'old', finished_reason: 'stop' });
      child.inc();
      olds.push(child);
      counter.labels('never', 'used'); // a child never incremented shows no series
    }
    expect(await rb.metrics()).toBe(await ra.metrics());
    for (const c of [theirs, ours]) c.reset();
    (theirs.labels('tiny', 'stop') as { inc(v?: number): void }).inc(2);
    (ours.labels('tiny', 'stop') as { inc(v?: number): void }).inc(2);
    for (const child of olds) child.inc(3); // a child made before the reset counts in a new series
    expect(await rb.metrics()).toBe(await ra.metrics());
    expect(await rb.getMetricsAsJSON()).toEqual(await ra.getMetricsAsJSON());
  });

  it('adds 1 by default, refuses a decrease, and runs collect before a scrape', async () => {
    const [, reg] = registries();
    let mirrored = 0;
    const c = new ScrapeCounter({
      name: 'mirror_total',
      help: 'm',
      labelNames: ['model_name'],
      registers: [reg],
      collect() {
        this.reset();
        this.inc({ model_name: 'tiny' }, mirrored);
      },
    });
    mirrored = 5;
    expect(await reg.metrics()).toContain('mirror_total{model_name="tiny",component="router"} 5');
    const plain = new ScrapeCounter({ name: 'plain_total', help: 'p', registers: [reg] });
    plain.inc();
    plain.inc(2);
    expect(await reg.metrics()).toContain('plain_total{component="router"} 3'); // 1 + 2
    expect(() => plain.inc(-1)).toThrow('It is not possible to decrease a counter');
    expect(() => c.inc({ reason: 'x' } as never)).toThrow('Added label "reason" is not included');
  });

  it('a frozen label object reused across updates counts in its own series, and after reset in a new one', async () => {
    const [, reg] = registries();
    const c = new ScrapeCounter({ name: 'tokens_total', help: 't', labelNames: ['model_name'], registers: [reg] });
    const tiny = Object.freeze({ model_name: 'tiny' });
    c.inc(tiny, 2);
    c.inc({ model_name: 'other' }, 5);
    c.inc(tiny, 3);
    expect(await reg.metrics()).toContain('tokens_total{model_name="tiny",component="router"} 5'); // 2 + 3
    expect(await reg.metrics()).toContain('tokens_total{model_name="other",component="router"} 5');
    c.reset();
    c.inc(tiny);
    expect(await reg.metrics()).toContain('tokens_total{model_name="tiny",component="router"} 1');
  });
});
