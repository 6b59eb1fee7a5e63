import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { connectWs, isOicfError } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A real Prometheus scrapes the real kv-pool, router and decode worker (processes on 127.0.0.1, port 0)
// every second with the project's recording rules loaded, and the values it stores are the ones the test
// caused: blocks put through the pool's WebSocket data plane and one corrupt put; two bad HTTP requests and
// one real completion through the router, decoded by the worker with onnxruntime.

const root = fileURLToPath(new URL('../..', import.meta.url));
const PROMETHEUS = [process.env.PROMETHEUS_BIN, '/usr/bin/prometheus', '/usr/local/bin/prometheus'].find(
  (p): p is string => p !== undefined && existsSync(p),
);
if (PROMETHEUS === undefined) {
  console.warn(
    'prometheus e2e skipped: no prometheus binary (install the Debian "prometheus" package or set PROMETHEUS_BIN)',
  );
}

// Pool: 4-token blocks, a 1 MiB dram tier. Five blocks of 1024 payload bytes each go in.
const BLOCK_TOKENS = 4;
const NUM_BLOCKS = 5;
const PAYLOAD_BYTES = 1024;
const DRAM_BYTES = 1024 * 1024;
// The completion: "hello wo" is 8 byte tokens; ignore_eos makes exactly 4 output tokens.
const COMPLETION = { model: 'tiny-gqa', prompt: 'hello wo', max_tokens: 4, ignore_eos: true, temperature: 0 };

interface Service {
  readonly child: ChildProcess;
  readonly endpoints: { http: string; ws?: string; grpc?: string };
}

const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `node --import tsx apps/<app>/src/main.ts --config <file>` and waits for its endpoints line. */
async function startApp(app: string, config: object, dir: string): Promise<Service> {
  const file = join(dir, `${app}.json`);
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`, '--config', file], {
    cwd: root,
    env: { ...process.env, OICF_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${app} did not print its endpoints in 60 s\n${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${app} exited with ${code} before listening\n${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.includes('"listening"')) return;
      clearTimeout(timer);
      resolve({ child, endpoints: (JSON.parse(line) as { endpoints: Service['endpoints'] }).endpoints });
    });
  });
}

/** Polls `probe` every 200 ms until it returns true; fails with `what` after `timeoutMs`. */
async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Five chained blocks through the pool's data plane, then one whose checksum does not match its payload. */
async function putBlocks(pool: Service): Promise<void> {
  const ws = await connectWs(pool.endpoints.ws as string);
  const ids = chainBlockIds(
    Array.from({ length: NUM_BLOCKS * BLOCK_TOKENS }, (_, i) => i),
    { blockTokens: BLOCK_TOKENS },
  );
  for (const [i, blockId] of ids.entries()) {
    const payload = new Uint8Array(PAYLOAD_BYTES).fill(i + 1);
    const parentId = ids[i - 1] ?? '';
    await ws.request(
      'kv.put',
      { blockId, parentId, numTokens: BLOCK_TOKENS, checksum: blockChecksum(payload), payload },
      'kv.put.ack',
    );
  }
  const corrupt = new Uint8Array(PAYLOAD_BYTES).fill(9);
  const [blockId] = chainBlockIds([9, 9, 9, 9], { blockTokens: BLOCK_TOKENS });
  const checksum = (blockChecksum(corrupt) ^ 1) >>> 0;
  const refused = await ws
    .request('kv.put', { blockId, numTokens: BLOCK_TOKENS, checksum, payload: corrupt }, 'kv.put.ack')
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(isOicfError(refused) ? refused.code : refused, String(refused)).toBe('CHECKSUM_MISMATCH');
  await ws.close();
}

async function postCompletion(router: Service, body: object): Promise<Response> {
  return fetch(`${router.endpoints.http}/v1/completions`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

const suiteTitle = 'real Prometheus scraping the real kv-pool, router and decode worker';
const noPrometheus = 'no prometheus binary (Debian package prometheus, or set PROMETHEUS_BIN)';
describe.skipIf(PROMETHEUS === undefined)(PROMETHEUS ? suiteTitle : `${suiteTitle} (skipped: ${noPrometheus})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oicf-prometheus-e2e-'));
  const targets = new Map<string, Service>();
  let promUrl = '';

  /** Samples of an instant query: labels and value. */
  async function query(promql: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== 'success') throw new Error(`query ${promql}: ${body.error}`);
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** Polls until the query has one sample equal to `expected` (scrapes and rules run each second). */
  async function sampleValue(promql: string, expected: number, timeoutMs = 20_000): Promise<number | undefined> {
    const until = Date.now() + timeoutMs;
    let last: number | undefined;
    while (Date.now() < until) {
      const samples = await query(promql);
      last = samples.length === 1 ? samples[0]?.value : undefined;
      if (last === expected) return last;
      await sleep(250);
    }
    return last;
  }

  beforeAll(async () => {
    const host = '127.0.0.1';
    const [pool, router] = await Promise.all([
      startApp('kv-pool', { host, blockTokens: BLOCK_TOKENS, tiers: { dram: { capacityBytes: DRAM_BYTES } } }, dir),
      startApp('router', { host, blockTokens: BLOCK_TOKENS, logLevel: 'warn' }, dir),
    ]);
    targets.set('kv-pool', pool);
    await putBlocks(pool);

    targets.set('router', router);
    // Two requests the router must refuse with 400: no prompt; max_tokens below 1.
    for (const body of [{ model: 'tiny-gqa' }, { ...COMPLETION, max_tokens: 0 }]) {
      expect((await postCompletion(router, body)).status).toBe(400);
    }
    // No pool for the worker or the router: the pool's numbers stay the ones putBlocks caused.
    const worker = { workerId: 'decode-0', role: 'decode', host, blockTokens: BLOCK_TOKENS, logLevel: 'warn' };
    const decode = await startApp('decode-worker', { ...worker, routerGrpcAddress: router.endpoints.grpc }, dir);
    targets.set('decode-worker', decode);
    await waitUntil(
      'the router to see the decode worker',
      async () => (await fetch(`${router.endpoints.http}/readyz`)).ok,
    );
    const res = await postCompletion(router, COMPLETION);
    expect(res.status, await res.clone().text()).toBe(200);
    const usage = ((await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    expect([usage.prompt_tokens, usage.completion_tokens]).toEqual([8, 4]);

    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    promUrl = `http://127.0.0.1:${port}`;
    // JSON is YAML: the config needs no YAML writer.
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(root, 'deploy/prometheus/rules/oicf.rules.yml')],
      scrape_configs: [...targets].map(([job, s]) => ({
        job_name: job,
        static_configs: [{ targets: [new URL(s.endpoints.http).host] }],
      })),
    };
    writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
    const args = [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ];
    const prom = spawn(PROMETHEUS as string, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(prom);
    await waitUntil('prometheus to be ready', async () => (await fetch(`${promUrl}/-/ready`)).ok);
  });

  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees every target up', async () => {
    const jobs = [...targets.keys()].sort();
    let health: string[] = [];
    await waitUntil('every target up', async () => {
      const res = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as {
        data: { activeTargets: Array<{ labels: { job: string }; health: string }> };
      };
      health = res.data.activeTargets.map((t) => `${t.labels.job}=${t.health}`).sort();
      return health.length === jobs.length && health.every((h) => h.endsWith('=up'));
    }).catch(() => undefined);
    expect(health).toEqual(jobs.map((j) => `${j}=up`));
    for (const job of jobs) expect(await sampleValue(`up{job="${job}"}`, 1), job).toBe(1);
  });

  it('stores the pool series the puts caused', async () => {
    // 5 blocks × 1024 bytes = 5120 payload bytes, all in dram; the corrupt put is refused and counted.
    expect(await sampleValue('oicf_kvpool_tier_stored_blocks{tier="dram"}', NUM_BLOCKS)).toBe(5);
    expect(await sampleValue('oicf_kvpool_tier_used_bytes{tier="dram"}', NUM_BLOCKS * PAYLOAD_BYTES)).toBe(5120);
    expect(await sampleValue('oicf_kvpool_received_bytes_total', NUM_BLOCKS * PAYLOAD_BYTES)).toBe(5120);
    expect(await sampleValue('oicf_kvpool_checksum_failed_blocks_total{where="receipt"}', 1)).toBe(1);
    expect(await sampleValue('oicf_kvpool_tier_capacity_bytes{tier="dram"}', DRAM_BYTES)).toBe(DRAM_BYTES);
  });

  it('evaluates the deploy recording rules on the real series', async () => {
    // tier:oicf_kvpool_tier_occupancy:ratio = used / capacity = 5120 / 1048576 = 5/1024 (exact in binary).
    expect(await sampleValue('tier:oicf_kvpool_tier_occupancy:ratio{tier="dram"}', 5 / 1024)).toBe(0.0048828125);
  });

  it('stores the router series the bad requests caused', async () => {
    expect(await sampleValue('oicf_router_handled_requests_total{door="http",status="400"}', 2)).toBe(2);
  });

  it('stores the router and decode worker series of the completion', async () => {
    expect(await sampleValue('oicf_router_handled_requests_total{door="http",status="200"}', 1)).toBe(1);
    expect(await sampleValue('oicf_router_worker_info{worker_id="decode-0",role="decode",health="healthy"}', 1)).toBe(
      1,
    );
    // 8 prompt tokens in, 4 generated: counted by the router and by the worker that decoded them.
    expect(await sampleValue('oicf_router_prompt_tokens_total{model_name="tiny-gqa"}', 8)).toBe(8);
    expect(await sampleValue('oicf_router_generation_tokens_total{model_name="tiny-gqa"}', 4)).toBe(4);
    expect(await sampleValue('oicf_router_time_to_first_token_seconds_count{model_name="tiny-gqa"}', 1)).toBe(1);
    expect(await sampleValue('oicf_decode_generation_tokens_total{worker_id="decode-0"}', 4)).toBe(4);
  });

  it('leaves no process behind', async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
    for (const c of children) expect(() => process.kill(c.pid as number, 0), `pid ${c.pid}`).toThrow(/ESRCH/);
  });
});
