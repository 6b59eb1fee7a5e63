import { parseArgs } from 'node:util';
import { type CompareSpec, checkValue, type MODES, parseCompareSpec } from '@oicf/cluster';
import { DEFAULT_OVERFLOW_SHARE } from '@oicf/loadgen';
import { DEFAULT_SLO, type Slo } from '@oicf/report';
import { parseWindow, TRACE_FORMATS, type TraceFormat, type TraceWindow } from '@oicf/traces';
import { UsageError } from '../command.js';

/** Parsed and validated `oicf replay` arguments. Every problem is collected and reported at once. */
export interface ReplayArgs {
  readonly traceFile: string;
  readonly format: TraceFormat | 'auto';
  readonly skipBadLines: boolean;
  /** A running router; null = launch a local cluster. */
  readonly url: string | null;
  readonly model: string | null;
  readonly loop: 'open' | 'closed' | 'auto';
  readonly speed: number;
  /** Input token scale (prompt lengths and their blocks). */
  readonly tokenScale: number;
  /** Output token scale; `--output-token-scale`, else the input scale. */
  readonly outputTokenScale: number;
  /** `blocks`: shrink each trace block, keep its id; `remap`: keep the block size (@oicf/traces scaleTrace). */
  readonly tokenScaleMode: 'blocks' | 'remap';
  readonly window: TraceWindow | undefined;
  readonly concurrency: number | null;
  readonly slo: Slo;
  readonly metricsUrls: readonly string[];
  readonly scrapeIntervalSeconds: number;
  readonly outDir: string | null;
  readonly clusterConfigFile: string | null;
  /** Where launched clusters keep configs and logs; default `<out>[/<variant>]/cluster`. */
  readonly clusterRunDir: string | null;
  readonly policy: string | null;
  readonly mode: (typeof MODES)[number] | null;
  readonly emulate: string | null;
  readonly compare: CompareSpec | null;
  readonly sessionTtlSeconds: number | null;
  readonly json: boolean;
  /** Largest share of requests allowed over the cluster's context before replay refuses to send. */
  readonly overflowLimit: number;
  /** Send even when more overflow; they come back as rejects with reason `context`. */
  readonly allowOverflow: boolean;
}

const OPTIONS = {
  url: { type: 'string' },
  model: { type: 'string' },
  loop: { type: 'string' },
  speed: { type: 'string' },
  'token-scale': { type: 'string' },
  'output-token-scale': { type: 'string' },
  'token-scale-mode': { type: 'string' },
  window: { type: 'string' },
  'max-requests': { type: 'string' },
  concurrency: { type: 'string' },
  'slo-ttft': { type: 'string' },
  'slo-tpot': { type: 'string' },
  'metrics-url': { type: 'string', multiple: true },
  'scrape-interval': { type: 'string' },
  out: { type: 'string' },
  'cluster-config': { type: 'string' },
  'cluster-run-dir': { type: 'string' },
  policy: { type: 'string' },
  mode: { type: 'string' },
  emulate: { type: 'string' },
  compare: { type: 'string' },
  'session-ttl': { type: 'string' },
  format: { type: 'string' },
  'skip-bad-lines': { type: 'boolean' },
  json: { type: 'boolean' },
  'overflow-limit': { type: 'string' },
  'allow-overflow': { type: 'boolean' },
} as const;

export function parseReplayArgs(argv: string[]): ReplayArgs {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof OPTIONS }>
  >;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  const errors: string[] = [];
  const number = (flag: string, text: string | undefined, check: (n: number) => boolean, rule: string) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || !check(n)) {
      errors.push(`--${flag} must be ${rule}, got '${text}'`);
      return undefined;
    }
    return n;
  };
  const positive = (flag: string, text: string | undefined) => number(flag, text, (n) => n > 0, 'a number > 0');
  const integer = (flag: string, text: string | undefined) =>
    number(flag, text, (n) => Number.isSafeInteger(n) && n >= 1, 'an integer ≥ 1');

  if (parsed.positionals.length !== 1) {
    errors.push(
      `expected exactly one trace file, got ${parsed.positionals.length === 0 ? 'none' : parsed.positionals.join(' ')}`,
    );
  }
  const format = v.format ?? 'auto';
  if (format !== 'auto' && !(TRACE_FORMATS as readonly string[]).includes(format)) {
    errors.push(`--format must be one of auto, ${TRACE_FORMATS.join(', ')}; got '${format}'`);
  }
  const tokenScaleMode = v['token-scale-mode'] ?? 'blocks';
  if (tokenScaleMode !== 'blocks' && tokenScaleMode !== 'remap') {
    errors.push(`--token-scale-mode must be blocks or remap; got '${tokenScaleMode}'`);
  }
  const loop = v.loop ?? 'auto';
  if (!['open', 'closed', 'auto'].includes(loop)) errors.push(`--loop must be open, closed or auto; got '${loop}'`);
  let window: TraceWindow | undefined;
  if (v.window !== undefined) {
    const w = parseWindow(v.window);
    if (w.ok) window = w.window;
    else errors.push(`--window: ${w.error}`);
  }
  const maxRequests = integer('max-requests', v['max-requests']);
  if (maxRequests !== undefined) window = { ...window, maxRequests };
  const url = v.url ?? null;
  if (url !== null && !/^https?:\/\/[^/]+/.test(url))
    errors.push(`--url must be an http(s) URL like http://127.0.0.1:8080, got '${url}'`);
  for (const m of v['metrics-url'] ?? []) {
    if (!/^https?:\/\/[^/]+/.test(m)) errors.push(`--metrics-url must be an http(s) URL, got '${m}'`);
  }
  let compare: CompareSpec | null = null;
  if (v.compare !== undefined) {
    const c = parseCompareSpec(v.compare);
    if (c.ok) compare = c.spec;
    else errors.push(`--compare: ${c.error}`);
  }
  for (const key of ['policy', 'mode', 'emulate'] as const) {
    const value = v[key];
    if (value === undefined) continue;
    const problem = checkValue(key, value);
    if (problem !== undefined) errors.push(`--${key}: ${problem}`);
    if (compare?.key === key)
      errors.push(`--${key} conflicts with --compare ${key}=...; give the values only in --compare`);
  }
  if (url !== null) {
    const launchOnly = ['compare', 'policy', 'mode', 'emulate', 'cluster-config', 'cluster-run-dir'].filter(
      (k) => v[k as keyof typeof v] !== undefined,
    );
    if (launchOnly.length > 0) {
      errors.push(
        `${launchOnly.map((k) => `--${k}`).join(', ')} ${launchOnly.length === 1 ? 'configures' : 'configure'} the cluster this command launches; leave out --url to use ${launchOnly.length === 1 ? 'it' : 'them'}`,
      );
    }
  }
  const speed = positive('speed', v.speed) ?? 1;
  const tokenScale = positive('token-scale', v['token-scale']) ?? 1;
  const outputTokenScale = positive('output-token-scale', v['output-token-scale']) ?? tokenScale;
  const concurrency = integer('concurrency', v.concurrency) ?? null;
  const slo: Slo = {
    ttftSeconds: v['slo-ttft'] === undefined ? DEFAULT_SLO.ttftSeconds : (positive('slo-ttft', v['slo-ttft']) ?? null),
    tpotSeconds: v['slo-tpot'] === undefined ? DEFAULT_SLO.tpotSeconds : (positive('slo-tpot', v['slo-tpot']) ?? null),
  };
  const result: ReplayArgs = {
    traceFile: parsed.positionals[0] ?? '',
    format: format as TraceFormat | 'auto',
    skipBadLines: v['skip-bad-lines'] ?? false,
    url,
    model: v.model ?? null,
    loop: loop as ReplayArgs['loop'],
    speed,
    tokenScale,
    outputTokenScale,
    tokenScaleMode: tokenScaleMode as ReplayArgs['tokenScaleMode'],
    window,
    concurrency,
    slo,
    metricsUrls: v['metrics-url'] ?? [],
    scrapeIntervalSeconds: positive('scrape-interval', v['scrape-interval']) ?? 1,
    outDir: v.out ?? null,
    clusterConfigFile: v['cluster-config'] ?? null,
    clusterRunDir: v['cluster-run-dir'] ?? null,
    policy: v.policy ?? null,
    mode: (v.mode as ReplayArgs['mode']) ?? null,
    emulate: v.emulate ?? null,
    compare,
    sessionTtlSeconds: number('session-ttl', v['session-ttl'], (n) => n >= 0, 'a number ≥ 0') ?? null,
    json: v.json ?? false,
    overflowLimit:
      number('overflow-limit', v['overflow-limit'], (n) => n >= 0 && n <= 1, 'a share in [0, 1], e.g. 0.05') ??
      DEFAULT_OVERFLOW_SHARE,
    allowOverflow: v['allow-overflow'] ?? false,
  };
  if (errors.length > 0)
    throw new UsageError(errors.length === 1 ? (errors[0] as string) : `\n  ${errors.join('\n  ')}`);
  return result;
}
