import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `oicf cluster up` (the real CLI, as a user runs it) starts a small cluster and writes its Prometheus file_sd
// file; a real Prometheus started with the shipped deploy/prometheus/prometheus.local.yml, unedited (only the
// command-line flags for its data directory and listen address), finds every service through that file and
// stores the vLLM-named families the workers export. `oicf cluster down` then removes the file.

const root = fileURLToPath(new URL('../..', import.meta.url));
const PROMETHEUS = [process.env.PROMETHEUS_BIN, '/usr/bin/prometheus', '/usr/local/bin/prometheus'].find(
  (p): p is string => p !== undefined && existsSync(p),
);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const title = 'real Prometheus scraping a cluster up cluster through its file_sd file, config unedited';
const why = 'no prometheus binary (Debian package prometheus, or set PROMETHEUS_BIN)';
describe.skipIf(PROMETHEUS === undefined)(PROMETHEUS ? title : `${title} (skipped: ${why})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oicf-file-sd-e2e-'));
  const runDir = join(dir, 'run');
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  let stableFile = '';
  let routerUrl = '';

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

  beforeAll(async () => {
    // One prefill and one decode worker, the pool and the router; everything else the cluster defaults.
    const config = join(dir, 'cluster.json');
    writeFileSync(config, JSON.stringify({ prefill: { count: 1 }, decode: { count: 1 }, logLevel: 'warn' }));
    const up = cli(['cluster', 'up', '--run-dir', runDir, '--config', config]);
    expect(up.status, `${up.stdout}\n${up.stderr}`).toBe(0);
    const written = /Prometheus targets \(file_sd\): (\S+), (\S+)/.exec(up.stderr);
    expect(written?.[1]).toBe(join(runDir, 'prometheus-targets.json'));
    stableFile = written?.[2] ?? '';
    expect(stableFile.startsWith(join(root, '.oicf', 'prometheus', 'targets'))).toBe(true);
    routerUrl = /OpenAI-compatible API: (\S+)\/v1/.exec(up.stdout)?.[1] ?? '';
    // "hello wo" is 8 byte tokens; ignore_eos makes exactly 4 output tokens.
    const res = await fetch(`${routerUrl}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-gqa', prompt: 'hello wo', max_tokens: 4, ignore_eos: true }),
    });
    expect(res.status, await res.clone().text()).toBe(200);

    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    promUrl = `http://127.0.0.1:${port}`;
    const args = [
      `--config.file=${join(root, 'deploy/prometheus/prometheus.local.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ];
    prometheus = spawn(PROMETHEUS as string, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitUntil('prometheus to be ready', async () => (await fetch(`${promUrl}/-/ready`)).ok);
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    if (existsSync(join(runDir, 'state.json'))) cli(['cluster', 'down', '--run-dir', runDir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('wrote one file_sd target group per service, the same in the run directory and the stable place', () => {
    const groups = JSON.parse(readFileSync(stableFile, 'utf8')) as Array<{ labels: Record<string, string> }>;
    expect(readFileSync(join(runDir, 'prometheus-targets.json'), 'utf8')).toBe(readFileSync(stableFile, 'utf8'));
    expect(groups.map((g) => `${g.labels.service}/${g.labels.role}`).sort()).toEqual([
      'decode-0/decode',
      'kv-pool/kv-pool',
      'prefill-0/prefill',
      'router/router',
    ]);
  });

  it('finds every service of the cluster through the file and scrapes it', async () => {
    let health: string[] = [];
    await waitUntil('every target of the cluster up', async () => {
      const body = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as {
        data: { activeTargets: Array<{ labels: Record<string, string>; health: string }> };
      };
      health = body.data.activeTargets
        .filter((t) => t.labels.cluster === runDir)
        .map((t) => `${t.labels.service}=${t.health}`)
        .sort();
      return health.length === 4 && health.every((h) => h.endsWith('=up'));
    }).catch(() => undefined);
    expect(health).toEqual(['decode-0=up', 'kv-pool=up', 'prefill-0=up', 'router=up']);
  });

  it('stores the vLLM families on the workers, and the values the completion caused', async () => {
    const inCluster = `cluster="${runDir}"`;
    const families = async (service: string) =>
      new Set(
        (await query(`count by (__name__) ({__name__=~"vllm:.+", service="${service}", ${inCluster}})`)).map(
          (r) => r.metric.__name__ ?? '',
        ),
      );
    let decode = new Set<string>();
    await waitUntil('the decode worker’s vllm: series', async () => {
      decode = await families('decode-0');
      return decode.has('vllm:prefix_cache_hits_total');
    });
    for (const name of [
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
      'vllm:prompt_tokens_total',
      'vllm:generation_tokens_total',
      'vllm:prefix_cache_queries_total',
      'vllm:prefix_cache_hits_total',
      'vllm:request_success_total',
      'vllm:time_to_first_token_seconds_bucket',
      'vllm:inter_token_latency_seconds_bucket',
    ]) {
      expect(decode.has(name), name).toBe(true);
    }
    const prefill = await families('prefill-0');
    for (const name of [
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
      'vllm:prefix_cache_queries_total',
      'vllm:prefix_cache_hits_total',
    ]) {
      expect(prefill.has(name), name).toBe(true);
    }
    // The completion's 8 prompt tokens and 4 generated tokens, counted by the decode worker and the router.
    const one = async (promql: string) => (await query(promql)).map((r) => r.value);
    expect(await one(`vllm:prompt_tokens_total{service="decode-0", ${inCluster}}`)).toEqual([8]);
    expect(await one(`vllm:generation_tokens_total{service="decode-0", ${inCluster}}`)).toEqual([4]);
    expect(await one(`vllm:generation_tokens_total{service="router", ${inCluster}}`)).toEqual([4]);
    // Every known finish reason exists from the start: 0 aborts.
    expect(await one(`vllm:request_success_total{service="router", finished_reason="abort", ${inCluster}}`)).toEqual([
      0,
    ]);
    // The services' own labels survive (honor_labels): no exported_* copies.
    const series = await query(`vllm:kv_cache_usage_perc{service="decode-0", ${inCluster}}`);
    expect(series.map((s) => [s.metric.worker_id, s.metric.exported_worker_id])).toEqual([['decode-0', undefined]]);
  });

  it('cluster down removes the stable file, so Prometheus drops the targets', () => {
    const down = cli(['cluster', 'down', '--run-dir', runDir]);
    expect(down.status, down.stderr).toBe(0);
    expect(existsSync(stableFile)).toBe(false);
  });
});
