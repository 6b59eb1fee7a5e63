// Soak with faults (issue 14.7; a script, never a test): a supervised local cluster (this process supervises
// it, as `oicf cluster up --foreground` does) takes open-loop load at a sustainable rate for 5 minutes while
// a service is SIGKILLed every 30 s (prefill, pool, router, decode-1 in turn; decode-0 is never killed, so
// its RSS is comparable across the run). Then the load stops and, after a quiet period, the figures:
//
//   requests: ok / refused (503, 429) / failed, per phase; kills and how long each service took to come back
//   RSS of every service after warm-up (60 s, or 30 s after its last restart) vs at the end: within ±20 %?
//   leases (pool leased blocks), handoff bytes, in-flight requests (router, decode), KV usage: back to 0?
//   sockets (open socket fds per service) at warm-up vs at the end: no growth?
//
//   node --import tsx bench/soak.bench.ts [--seconds 300] [--kill-every 30] [--rate <req/s>]
// Writes bench/results/soak.{json,md}. The sustainable rate is measured first (20 s closed loop, 4 clients)
// and the run uses 60 % of it unless --rate is given.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type ClusterState,
  type LaunchedService,
  launchCluster,
  parseClusterConfig,
  REPO_ROOT,
  readClusterState,
  Supervisor,
  stopServices,
} from '@oicf/cluster';
import { parsePrometheusText, sumSamples } from '@oicf/metrics/prometheus-text';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '300' },
    'kill-every': { type: 'string', default: '30' },
    rate: { type: 'string' },
  },
});
const RUN_SECONDS = Number(values.seconds);
const KILL_EVERY_SECONDS = Number(values['kill-every']);
const WARMUP_SECONDS = 60;
const VICTIMS = ['prefill-0', 'kv-pool', 'router', 'decode-1'];
const OUT = join(REPO_ROOT, 'bench/results');

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
const nowS = () => performance.now() / 1000;

const config = parseClusterConfig({
  blockTokens: 16,
  prefill: { count: 2 },
  decode: { count: 2, kvCapacityBytes: 128 * 1024 * 1024, maxBatch: 8 },
  pool: { tiers: { dram: { capacityBytes: 64 * 1024 * 1024 }, disk: { capacityBytes: 128 * 1024 * 1024 } } },
});
if (!config.ok) throw new Error(config.errors.join('\n'));
const runDir = mkdtempSync(join(tmpdir(), 'oicf-soak-'));
log(`soak: launching in ${runDir}`);
const cluster = await launchCluster(config.value, { runDir, onProgress: (m) => log(`  ${m}`) });
const restarts: Array<{ service: string; atSeconds: number; downSeconds?: number }> = [];
const supervisor = new Supervisor(cluster, {
  cwd: REPO_ROOT,
  onEvent: (e) => {
    if (e.event === 'service_restarted') {
      const open = restarts.findLast((r) => r.service === e.service && r.downSeconds === undefined);
      if (open !== undefined) open.downSeconds = nowS() - open.atSeconds;
    }
  },
});
supervisor.start();
const state = (): ClusterState => readClusterState(runDir) ?? supervisor.state;
const svc = (name: string): LaunchedService => state().services.find((s) => s.name === name) as LaunchedService;
const routerUrl = svc('router').endpoints.http;

// --- load ------------------------------------------------------------------------------------------
interface Outcome {
  readonly atSeconds: number;
  readonly kind: 'ok' | 'refused' | 'failed';
  readonly detail: string;
}
const outcomes: Outcome[] = [];
/** Admission refusals (docs/reliability.md, "503 or 429"); any other error is a failure. */
const ADMISSION_CODES = new Set(['no-worker', 'capacity', 'queue-full', 'queue-time', 'slo', 'client-limit']);
let prompts = 0;

async function oneRequest(t0: number): Promise<void> {
  // Agent-like: a shared system prefix (pool and worker caches) and a per-request tail.
  const n = prompts++;
  const prompt = `${'You are a careful coding agent. '.repeat(4)}Task ${n % 50}: step ${n}.`;
  const at = nowS() - t0;
  try {
    const res = await fetch(`${routerUrl}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-gqa', prompt, max_tokens: 24, temperature: 0 }),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await res.json()) as { error?: { code?: string } };
    const code = body.error?.code ?? '';
    if (res.status === 200) outcomes.push({ atSeconds: at, kind: 'ok', detail: '200' });
    else if ((res.status === 503 || res.status === 429) && ADMISSION_CODES.has(code))
      outcomes.push({ atSeconds: at, kind: 'refused', detail: `${res.status} ${code}` });
    else outcomes.push({ atSeconds: at, kind: 'failed', detail: `${res.status} ${code}` });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    outcomes.push({ atSeconds: at, kind: 'failed', detail: cause ?? (err as Error).name });
  }
}

async function calibrate(seconds: number, clients: number): Promise<number> {
  const t0 = nowS();
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (nowS() - t0 < seconds) {
        await oneRequest(t0);
        done++;
      }
    }),
  );
  return done / (nowS() - t0);
}

// --- samples -----------------------------------------------------------------------------------------
function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}
function socketFds(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
      } catch {
        return false;
      }
    }).length;
  } catch {
    return undefined;
  }
}
interface Sample {
  readonly atSeconds: number;
  readonly pid: number;
  readonly rssBytes: number | undefined;
  readonly sockets: number | undefined;
}
const samples = new Map<string, Sample[]>();
function sample(t0: number): void {
  for (const s of state().services) {
    const list = samples.get(s.name) ?? [];
    list.push({ atSeconds: nowS() - t0, pid: s.pid, rssBytes: rssBytes(s.pid), sockets: socketFds(s.pid) });
    samples.set(s.name, list);
  }
}

async function gauges(): Promise<Record<string, number>> {
  const read = async (url: string) => parsePrometheusText(await (await fetch(`${url}/metrics`)).text()).samples;
  const router = await read(routerUrl);
  const pool = await read(svc('kv-pool').endpoints.http);
  const out: Record<string, number> = {
    'router running requests': sumSamples(router, 'oicf_router_running_requests', {}),
    'pool leased blocks': sumSamples(pool, 'oicf_kvpool_leased_blocks', {}),
  };
  for (const d of ['decode-0', 'decode-1']) {
    const m = await read(svc(d).endpoints.http);
    out[`${d} running requests`] = sumSamples(m, 'oicf_decode_running_requests', {});
    out[`${d} waiting requests`] = sumSamples(m, 'oicf_decode_waiting_requests', {});
    out[`${d} KV usage ratio`] = sumSamples(m, 'oicf_decode_kv_cache_usage_ratio', {});
    out[`${d} unclaimed handoff bytes`] = sumSamples(m, 'oicf_decode_handoff_buffered_bytes', {});
  }
  return out;
}

// --- run ---------------------------------------------------------------------------------------------
const sustainable = values.rate !== undefined ? Number(values.rate) : await calibrate(20, 4);
const rate = values.rate !== undefined ? sustainable : 0.6 * sustainable;
outcomes.length = 0;
log(
  `soak: sustainable ≈ ${sustainable.toFixed(1)} req/s (closed loop, 4 clients); running ${rate.toFixed(1)} req/s open loop for ${RUN_SECONDS} s, a kill every ${KILL_EVERY_SECONDS} s`,
);
const t0 = nowS();
const inflight = new Set<Promise<void>>();
let nextKill = KILL_EVERY_SECONDS;
let victim = 0;
let nextSample = 0;
let nextArrival = 0;
while (nowS() - t0 < RUN_SECONDS) {
  const t = nowS() - t0;
  if (t >= nextArrival) {
    const p = oneRequest(t0).finally(() => inflight.delete(p));
    inflight.add(p);
    nextArrival += -Math.log(1 - Math.random()) / rate; // Poisson arrivals
  }
  if (t >= nextSample) {
    sample(t0);
    nextSample += 5;
  }
  if (t >= nextKill) {
    const name = VICTIMS[victim++ % VICTIMS.length] as string;
    const s = svc(name);
    log(`soak: t=${t.toFixed(0)} s SIGKILL ${name} (pid ${s.pid})`);
    restarts.push({ service: name, atSeconds: nowS() });
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    nextKill += KILL_EVERY_SECONDS;
  }
  await sleep(Math.max(0.001, Math.min(nextArrival, nextSample, nextKill) - (nowS() - t0)));
}
log(`soak: load stopped; waiting for ${inflight.size} requests and a quiet period`);
await Promise.allSettled([...inflight]);
await sleep(10);
sample(t0);
const end = await gauges();

// --- figures -----------------------------------------------------------------------------------------
const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
const byDetail = (kind: Outcome['kind']) => {
  const m = new Map<string, number>();
  for (const o of outcomes.filter((x) => x.kind === kind)) m.set(o.detail, (m.get(o.detail) ?? 0) + 1);
  return Object.fromEntries(m);
};
const lastRestartOf = (name: string) => restarts.filter((r) => r.service === name).at(-1);
// A killed service's RSS starts over: its own warm-up (60 s) after its last restart is the baseline, if
// the run lasted that long after it; the ±20 % verdict is for services with such a baseline.
const rss = [...samples].map(([name, list]) => {
  const restart = lastRestartOf(name);
  const baseFrom = WARMUP_SECONDS + (restart === undefined ? 0 : restart.atSeconds - t0);
  const base = list.find((s) => s.atSeconds >= baseFrom && s.rssBytes !== undefined);
  const last = list.at(-1);
  const change = base?.rssBytes && last?.rssBytes ? last.rssBytes / base.rssBytes - 1 : undefined;
  return {
    service: name,
    lastRestartAtSeconds: restart === undefined ? undefined : restart.atSeconds - t0,
    baselineAtSeconds: base?.atSeconds,
    baselineRssMiB: base?.rssBytes === undefined ? undefined : base.rssBytes / 2 ** 20,
    endRssMiB: last?.rssBytes === undefined ? undefined : last.rssBytes / 2 ** 20,
    change,
    withinTwentyPercent: change === undefined ? undefined : Math.abs(change) <= 0.2,
    baselineSockets: base?.sockets,
    endSockets: last?.sockets,
  };
});
// Failures while a killed service was down (from its kill to 5 s after it was back) are the faults'; others
// would be a bug.
const inKillWindow = (at: number) =>
  restarts.some((r) => at >= r.atSeconds - t0 - 1 && at <= r.atSeconds - t0 + (r.downSeconds ?? 60) + 5);
const failedOutside = outcomes.filter((o) => o.kind === 'failed' && !inKillWindow(o.atSeconds));
const result = {
  runSeconds: RUN_SECONDS,
  killEverySeconds: KILL_EVERY_SECONDS,
  sustainableRequestsPerSecond: sustainable,
  offeredRequestsPerSecond: rate,
  requests: { total: outcomes.length, ok: count('ok'), refused: count('refused'), failed: count('failed') },
  refusedBy: byDetail('refused'),
  failedBy: byDetail('failed'),
  failedOutsideKillWindows: failedOutside.length,
  kills: restarts.map((r) => ({ service: r.service, atSeconds: r.atSeconds - t0, downSeconds: r.downSeconds })),
  rss,
  gaugesAtEnd: end,
  allGaugesZero: Object.values(end).every((v) => v === 0),
};
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);
const md = [
  '# Soak with kills',
  '',
  `${RUN_SECONDS} s at ${rate.toFixed(1)} req/s open loop (sustainable ≈ ${sustainable.toFixed(1)} req/s), one SIGKILL every ${KILL_EVERY_SECONDS} s (${VICTIMS.join(', ')} in turn; supervised restarts). Command: \`node --import tsx bench/soak.bench.ts\`.`,
  '',
  `Requests: ${result.requests.total} — ok ${result.requests.ok}, refused at admission ${result.requests.refused} ${JSON.stringify(result.refusedBy)}, failed ${result.requests.failed} ${JSON.stringify(result.failedBy)}, of which ${failedOutside.length} outside the kill windows (kill − 1 s … back + 5 s).`,
  '',
  '| kill at (s) | service | back after (s) |',
  '| ---: | --- | ---: |',
  ...result.kills.map(
    (k) => `| ${k.atSeconds.toFixed(0)} | ${k.service} | ${k.downSeconds?.toFixed(1) ?? 'not back'} |`,
  ),
  '',
  '| service | last restart (s) | RSS after warm-up (MiB) | RSS at end (MiB) | change | within ±20 % | sockets warm-up → end |',
  '| --- | ---: | ---: | ---: | ---: | --- | --- |',
  ...rss.map(
    (r) =>
      `| ${r.service} | ${r.lastRestartAtSeconds?.toFixed(0) ?? 'never'} | ${r.baselineRssMiB?.toFixed(0) ?? '— (no 60 s after it)'} | ${r.endRssMiB?.toFixed(0) ?? '—'} | ${r.change === undefined ? '—' : `${(r.change * 100).toFixed(1)} %`} | ${r.withinTwentyPercent ?? '—'} | ${r.baselineSockets ?? '—'} → ${r.endSockets ?? '—'} |`,
  ),
  '',
  '| gauge after the load stopped (+10 s) | value |',
  '| --- | ---: |',
  ...Object.entries(end).map(([k, v]) => `| ${k} | ${v} |`),
  '',
];
writeFileSync(join(OUT, 'soak.md'), `${md.join('\n')}\n`);
process.stdout.write(`${md.join('\n')}\n`);
await supervisor.stop();
await stopServices([...state().services].reverse());
