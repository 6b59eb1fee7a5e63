import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Opens the report `oicf analyze` writes in a real headless Chromium and checks that it renders
// offline, quietly and interactively. The CLI runs as its own process, as a user would run it.

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

if (!hasChromium) {
  console.warn(
    `analyze-page e2e skipped: no Chromium at ${CHROMIUM} (install the Debian 'chromium' package to run it)`,
  );
}

const suiteTitle = 'oicf analyze HTML report in headless Chromium';
describe.skipIf(!hasChromium)(hasChromium ? suiteTitle : `${suiteTitle} (skipped: no Chromium at ${CHROMIUM})`, () => {
  const outDir = mkdtempSync(join(tmpdir(), 'oicf-analyze-page-'));
  let browser: Browser;
  let pageUrl: string;

  beforeAll(async () => {
    // Llama-3.1-70B on 8 H100s, decode batch 8: four workflow sessions of 30 turns plus the query point.
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/cli/src/main.ts',
        'analyze',
        '--model',
        'llama-3.1-70b',
        '--device',
        'h100',
        '--tp',
        '8',
        '--batch',
        '8',
        '--context',
        '32768',
        '--out',
        'report',
      ],
      { cwd: repoRoot, env: { ...process.env, INIT_CWD: outDir }, encoding: 'utf8' },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('report/analyze.html');
    pageUrl = pathToFileURL(join(outDir, 'report', 'analyze.html')).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('loads with no console errors and no request but the page itself', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pageUrl, { waitUntil: 'load' });
    expect(problems).toEqual([]);
    expect(requests).toEqual([pageUrl]);
    await page.close();
  });

  it('renders the OI–CF plane with every workflow point and the ridge line', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(pageUrl);
    const plane = page.locator('svg#oicf-plane');
    const box = await plane.boundingBox();
    // Drawn at its 900 × 560 design size (the page is wide enough).
    expect(box?.width).toBeCloseTo(900, 0);
    expect(box?.height).toBeCloseTo(560, 0);
    // 4 workflows × 30 decode turns + the query's own point.
    await expect(plane.locator('g.pt[data-kind="workflow-point"]').count()).resolves.toBe(121);
    const ridge = plane.locator('line.ridge-line');
    await expect(ridge.count()).resolves.toBe(1);
    const ridgeBox = await ridge.boundingBox();
    // A horizontal line across the plot area (788 px wide at the design size).
    expect(ridgeBox?.width).toBeGreaterThan(700);
    expect(ridgeBox?.height).toBeLessThan(4);
    await expect(plane.locator('line.capacity-line').count()).resolves.toBe(1);
    // Each chart has its data table under it.
    await expect(page.locator('section#oi-cf-plane table.data tbody tr').count()).resolves.toBe(121);
    await page.close();
  });

  it('hovering a point shows its tooltip and highlights its series', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(pageUrl);
    const tip = page.locator('#oicf-tip');
    await expect(tip.isVisible()).resolves.toBe(false);
    // The query point is drawn last, so nothing covers it.
    const point = page.locator('svg#oicf-plane g.pt[data-series="this query"]');
    const title = await point.locator('title').textContent();
    expect(title).toMatch(/^this query · decode, batch 8: CF .* per request, OI .* FLOP\/byte — .* on h100 ×8$/);
    await point.hover();
    await expect(tip.isVisible()).resolves.toBe(true);
    await expect(tip.textContent()).resolves.toBe(title);
    // The point is marked active and, like every element of its series, highlighted.
    await expect(point.getAttribute('class')).resolves.toBe('pt hl active');
    await expect(page.locator('svg#oicf-plane').getAttribute('class')).resolves.toContain('focus');
    // Another series is dimmed, the hovered one is not.
    // Evaluated in the page (this workspace's TypeScript has no DOM lib).
    const opacity = (selector: string): Promise<string> =>
      page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).opacity`);
    await expect(opacity('svg#oicf-plane g.series[data-series="Coding agent (decode)"]')).resolves.toBe('0.22');
    await expect(opacity('svg#oicf-plane g.series[data-series="this query"]')).resolves.toBe('1');
    // Moving off the points clears it.
    await page.mouse.move(5, 5);
    await expect(tip.isVisible()).resolves.toBe(false);
    await expect(point.getAttribute('class')).resolves.toBe('pt');
    await page.close();
  });
});
