import { join, resolve } from 'node:path';
import { defaultClusterConfig, LaunchError, launchCluster, metricTotals, type RunningCluster } from '@oicf/cluster';
import type { CommandIo } from '../command.js';

interface OicfInfo {
  policy: string;
  reason: string;
  prefill_worker_id: string | null;
  decode_worker_id: string;
  num_cached_tokens: number;
  cache_source: string;
  predicted_ttft_seconds: number;
  ttft_seconds: number;
  e2e_seconds: number;
  kv_bytes_moved: number;
}

interface CompletionBody {
  choices: { text: string; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number };
  oicf: OicfInfo;
}

/** A coding agent's turns: each adds a tool observation to the growing context. */
const SYSTEM = 'You are a coding agent. Fix the failing test in the repository. Think, then call a tool.\n';
const FILE_LINES = Array.from(
  { length: 24 },
  (_, i) =>
    `  ${String(i + 1).padStart(3)} | const block${i} = cache.get(key${i}) ?? recompute(prefix.slice(0, ${64 * (i + 1)}));`,
).join('\n');
const OBSERVATIONS = [
  `$ npm test\nFAIL src/cache.test.ts > evicts the least recently used block\n  expected 3 blocks, got 4\n${'  at Cache.evict (src/cache.ts:42:11)\n'.repeat(6)}`,
  `$ cat src/cache.ts\n${FILE_LINES}\n`,
  '$ apply_patch src/cache.ts\n@@ get(k) { const v = this.map.get(k); this.map.delete(k); this.map.set(k, v); return v; }\n',
  `$ npm test\nPASS src/cache.test.ts (4 tests)\n${'  ✓ keeps recently used blocks\n'.repeat(4)}`,
];
const SESSIONS = ['agent-a', 'agent-b'];

/**
 * Launches the default cluster (1 router, 2 prefill, 2 decode, 1 pool as OS processes), runs two
 * coding-agent sessions turn by turn against its OpenAI-compatible API, prints where every turn's
 * KV came from and went, summarises the services' metrics, and stops the cluster.
 */
export async function runClusterDemo(io: CommandIo, outDir: string): Promise<number> {
  const config = defaultClusterConfig();
  const runDir = resolve(io.cwd, outDir);
  let cluster: RunningCluster;
  try {
    cluster = await launchCluster(config, {
      runDir,
      signal: io.signal,
      onProgress: (m) => io.stderr(`  ${m}\n`),
    });
  } catch (err) {
    if (err instanceof LaunchError) {
      io.stderr(`oicf demo: the cluster did not start: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  try {
    io.stdout(`cluster up (${config.mode}, policy ${config.router.policy}, model ${config.model}):\n`);
    for (const s of cluster.services)
      io.stdout(`  ${s.name.padEnd(10)} pid ${String(s.pid).padEnd(7)} ${s.endpoints.http}\n`);
    io.stdout(`  logs and configs in ${runDir}\n\n`);
    io.stdout('turn  session  prompt  cached  source  prefill    decode     ttft      kv moved  reason\n');
    const contexts = new Map(SESSIONS.map((s) => [s, SYSTEM]));
    for (let turn = 0; turn < OBSERVATIONS.length; turn++) {
      for (const session of SESSIONS) {
        if (io.signal.aborted) break;
        const prompt = `${contexts.get(session)}${OBSERVATIONS[turn]}`;
        const res = await fetch(`${cluster.routerUrl}/v1/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: config.model, prompt, max_tokens: 16, temperature: 0, session_id: session }),
          signal: io.signal,
        });
        if (!res.ok) {
          io.stdout(`  ${turn + 1}  ${session}: HTTP ${res.status} ${await res.text()}\n`);
          continue;
        }
        const body = (await res.json()) as CompletionBody;
        const o = body.oicf;
        io.stdout(
          `${String(turn + 1).padStart(4)}  ${session.padEnd(7)}  ${String(body.usage.prompt_tokens).padStart(6)}  ${String(o.num_cached_tokens).padStart(6)}  ${o.cache_source.padEnd(6)}  ${(o.prefill_worker_id ?? 'local').padEnd(9)}  ${o.decode_worker_id.padEnd(9)}  ${ms(o.ttft_seconds).padStart(8)}  ${kib(o.kv_bytes_moved).padStart(8)}  ${o.reason}\n`,
        );
        // The agent's next prompt holds everything so far: prompt + its own reply.
        contexts.set(session, prompt + (body.choices[0]?.text ?? ''));
      }
    }
    const totals = await metricTotals(cluster.metricsUrls);
    io.stdout('\nwhere KV went (from every service’s /metrics):\n');
    for (const [name, value] of totals) io.stdout(`  ${name.padEnd(60)} ${value}\n`);
    io.stdout('\nThe tiny model has random weights, so its text is noise; what matters is where its KV lives.\n');
    return 0;
  } finally {
    io.stderr('  stopping the cluster\n');
    await cluster.stop();
  }
}

const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
export const DEMO_RUN_DIR = join('out', 'demo', 'cluster');
