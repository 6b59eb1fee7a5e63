import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchCluster, parseClusterConfig, type RunningCluster } from '@oicf/cluster';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The router's live dashboard in a real headless Chromium, against a real cluster (router, one prefill and
// one decode worker running the tiny model with onnxruntime, the pool): the page loads with no console
// error and no request but its own stream; the workers' points appear on the OI–CF plane once requests run
// and move as contexts and prompts grow. A screenshot is kept in test-results/dashboard.png.

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Point {
  readonly capacityFootprintBytes: number;
  readonly intensityFlopsPerByte: number;
  readonly contextTokens: number;
}
interface Frame {
  readonly workers: ReadonlyArray<{ id: string; prefill: Point | null; decode: Point | null }>;
  readonly meanPromptTokens: number | null;
}

/** The page's latest frame and how many it has rendered. */
async function lastFrame(page: Page): Promise<{ frames: number; last: Frame | null }> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { oicfDashboard: { frames: number; last: unknown } }).oicfDashboard;
    return { frames: d.frames, last: d.last as never };
  });
}

/** Centres of the drawn markers of one plane series, in order (the last is where the worker is now). */
async function planeMarkers(page: Page, series: string): Promise<Array<{ x: number; y: number }>> {
  const boxes = await page.locator(`#chart-plane svg g.pt[data-series="${series}"]`).evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }),
  );
  return boxes;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function complete(url: string, prompt: string, maxTokens: number): Promise<Response> {
  return fetch(`${url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tiny-gqa', prompt, max_tokens: maxTokens, ignore_eos: true, temperature: 0 }),
  });
}

const title = 'router live dashboard in headless Chromium against a real cluster';
describe.skipIf(!hasChromium)(hasChromium ? title : `${title} (skipped: no Chromium at ${CHROMIUM})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oicf-dashboard-e2e-'));
  let cluster: RunningCluster;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const config = parseClusterConfig({ prefill: { count: 1 }, decode: { count: 1 }, logLevel: 'warn' });
    if (!config.ok) throw new Error(config.errors.join('\n'));
    cluster = await launchCluster(config.value, { runDir: join(dir, 'run') });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('request', (req) => requests.push(new URL(req.url()).pathname));
    await page.goto(`${cluster.routerUrl}/dashboard`, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads with no console error, live over its event stream, with no point before any request', async () => {
    await waitFor('two frames', async () => ((await lastFrame(page)).frames >= 2 ? true : undefined), 30_000);
    expect(await page.locator('#status').textContent()).toMatch(/^live · frame \d+$/);
    for (const chart of ['plane', 'roofline', 'latency', 'throughput', 'tiers', 'sources', 'routing']) {
      await expect(page.locator(`#chart-${chart} svg`).count(), chart).resolves.toBe(1);
    }
    // No request has run: no worker has a point yet.
    await expect(page.locator('#chart-plane svg g.pt').count()).resolves.toBe(0);
    const { last } = await lastFrame(page);
    expect(last?.workers.map((w) => [w.id, w.prefill, w.decode])).toEqual([
      ['decode-0', null, null],
      ['prefill-0', null, null],
    ]);
    expect(problems).toEqual([]);
  });

  it('shows the decode worker’s point, moving right as its context grows', { timeout: 240_000 }, async () => {
    // A long generation: its context grows by one token (4096 KV bytes) per decode step.
    const running = complete(cluster.routerUrl, 'the agent reads the file and '.repeat(20), 800);
    const first = await waitFor('the decode point', async () => {
      const d = (await lastFrame(page)).last?.workers.find((w) => w.id === 'decode-0')?.decode;
      return d ?? undefined;
    });
    const firstMarkers = await waitFor('the decode point on the plane', async () => {
      const m = await planeMarkers(page, 'decode-0 decode');
      return m.length > 0 ? m : undefined;
    });
    const later = await waitFor('the decode point to move', async () => {
      const d = (await lastFrame(page)).last?.workers.find((w) => w.id === 'decode-0')?.decode;
      return d && d.contextTokens > first.contextTokens ? d : undefined;
    });
    // More context, more KV per sequence: a larger footprint.
    expect(later.capacityFootprintBytes).toBeGreaterThan(first.capacityFootprintBytes);
    const markers = await planeMarkers(page, 'decode-0 decode');
    // The trail gained a position and its newest marker sits right of where the first one was drawn.
    expect(markers.length).toBeGreaterThan(firstMarkers.length);
    expect((markers.at(-1)?.x ?? 0) - (firstMarkers.at(-1)?.x ?? 0)).toBeGreaterThan(0);
    expect((await running).status).toBe(200);
  });

  it('shows a prefill point once prompts finished, moving with the prompt length', { timeout: 240_000 }, async () => {
    const prefillSeries = async () => {
      const w = (await lastFrame(page)).last?.workers.find((x) => x.prefill !== null);
      return w ? { id: w.id, point: w.prefill as Point } : undefined;
    };
    const first = await waitFor('a prefill point', prefillSeries);
    const before = await planeMarkers(page, `${first.id} prefill`);
    expect(before.length).toBeGreaterThan(0);
    // A prompt ~8× longer raises the mean prompt, so the prefill point's KV (and CF) grows.
    const res = await complete(cluster.routerUrl, 'tool output: a long listing of the repository '.repeat(50), 8);
    expect(res.status).toBe(200);
    const moved = await waitFor('the prefill point to move', async () => {
      const p = (await lastFrame(page)).last?.workers.find((w) => w.id === first.id)?.prefill;
      return p && p.capacityFootprintBytes > first.point.capacityFootprintBytes ? p : undefined;
    });
    expect(moved.contextTokens).toBeGreaterThan(first.point.contextTokens);
    await sleep(1500); // one more frame, so the page has drawn it
    const after = await planeMarkers(page, `${first.id} prefill`);
    expect((after.at(-1)?.x ?? 0) - (before.at(-1)?.x ?? 0)).toBeGreaterThan(0);
    // The roofline has the worker too, and the tables and bars caught up with the requests.
    await expect(page.locator('#chart-roofline svg g.pt').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#workers-body tr').count()).resolves.toBe(2);
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results', 'dashboard.png'), fullPage: true });
  });

  it('stayed quiet and fetched nothing but its page and its stream', () => {
    expect(problems).toEqual([]);
    expect([...new Set(requests)].sort()).toEqual(['/dashboard', '/dashboard/events']);
  });
});
