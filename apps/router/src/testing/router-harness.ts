// An in-process router on 127.0.0.1 port 0 for tests: log lines captured, no signal handlers, fast
// heartbeats. Workers are real gRPC servers (scripted-worker.ts) that register through its Registry.

import { parsePrometheusText, seriesValue } from '@oicf/metrics/prometheus-text';
import { type RouterConfig, routerConfig } from '../config.js';
import type { OicfInfo } from '../core/openai-format.js';
import { type RunningRouter, startRouter } from '../server.js';
import { type ScriptedWorker, type ScriptedWorkerOptions, startScriptedWorker } from './scripted-worker.js';

export interface TestRouter {
  readonly router: RunningRouter;
  readonly config: RouterConfig;
  /** http://127.0.0.1:port */
  readonly url: string;
  readonly grpcAddress: string;
  readonly wsUrl: string;
  readonly logs: string[];
  readonly workers: ScriptedWorker[];
  addWorker(options: Omit<ScriptedWorkerOptions, 'routerGrpcAddress'>): Promise<ScriptedWorker>;
  metricsText(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A test router. The fast door is on as in production; `OICF_ROUTER_FAST_HTTP=false npx vitest run
 * apps/router` runs the same tests with node:http serving every route (tests that pin one set it).
 */
export async function startTestRouter(overrides: Parameters<typeof routerConfig>[0] = {}): Promise<TestRouter> {
  const config = routerConfig({
    heartbeatIntervalSeconds: 0.05,
    drainTimeoutSeconds: 1,
    fastHttp: process.env.OICF_ROUTER_FAST_HTTP !== 'false',
    ...overrides,
  });
  const logs: string[] = [];
  const router = await startRouter(config, { write: (line) => logs.push(line), handleSignals: false });
  const ep = router.service.endpoints;
  const workers: ScriptedWorker[] = [];
  return {
    router,
    config,
    url: ep.http,
    grpcAddress: ep.grpc as string,
    wsUrl: ep.ws as string,
    logs,
    workers,
    addWorker: async (options) => {
      const w = await startScriptedWorker({ ...options, routerGrpcAddress: ep.grpc as string });
      workers.push(w);
      return w;
    },
    metricsText: async () => (await fetch(`${ep.http}/metrics`)).text(),
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await router.shutdown('test done');
    },
  };
}

/** Polls `cond` every 10 ms until it holds, failing after `seconds`. */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  seconds = 5,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Reads an SSE response body into its `data:` payloads (JSON objects, and the literal "[DONE]"). */
export async function readSse(res: Response): Promise<Array<CompletionWire | '[DONE]'>> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice('data: '.length))
    .map((d) => (d === '[DONE]' ? d : (JSON.parse(d) as CompletionWire)));
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * The value of one series in Prometheus text, matched by name and an exact label set (any order), or
 * undefined when absent.
 */
export function metricValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  return seriesValue(parsePrometheusText(text).samples, name, labels);
}

/** Wire shapes of the router API, for tests reading responses. */
export interface ApiErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}
export interface UsageWire {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}
export interface CompletionWire {
  object: string;
  choices: Array<{
    index: number;
    text?: string;
    delta?: { role?: string; content?: string };
    message?: { role: string; content: string };
    finish_reason: string | null;
  }>;
  usage?: UsageWire;
  oicf: Partial<OicfInfo> & { request_id: string };
  error?: ApiErrorBody['error'];
}
export interface WorkersWire {
  data: Array<{ worker_id: string; healthy: boolean; role: string }>;
}

/** The JSON body of a response, typed by the caller. */
export async function jsonOf<T = CompletionWire>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

/** The chunks of an SSE stream before its final [DONE] (which must be there). */
export function chunksOf(events: Array<CompletionWire | '[DONE]'>): CompletionWire[] {
  if (events.at(-1) !== '[DONE]') throw new Error('the SSE stream did not end with [DONE]');
  return events.slice(0, -1) as CompletionWire[];
}
