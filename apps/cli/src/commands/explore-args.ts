// `oicf explore` arguments: parsed and checked at once, every problem listed (exit 2).
import { OBJECTIVE_KEYS, type ObjectiveKey } from '@oicf/explore';
import { parseWindow, TRACE_FORMATS, type TraceFormat, type TraceWindow } from '@oicf/traces';
import { UsageError } from '../command.js';
import { parseFlags } from '../flags.js';

export interface ExploreArgs {
  /** A catalog workflow id or a trace file. */
  readonly workload: string;
  readonly space: string | null;
  readonly slo: { readonly ttftSeconds: number; readonly tpotSeconds: number };
  readonly budget: { readonly usdPerHour: number | null; readonly watts: number | null };
  readonly objective: ObjectiveKey;
  readonly simulateTop: number;
  readonly workers: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly out: string | null;
  readonly json: boolean;
  readonly csv: boolean;
  readonly top: number;
  readonly seed: number;
  /** Workflow workloads: session starts per second and how long they keep starting. */
  readonly sessionsPerSecond: number;
  readonly durationSeconds: number;
  /** Trace workloads: as `oicf replay`. */
  readonly format: TraceFormat | 'auto';
  readonly window: TraceWindow | undefined;
  readonly tokenScale: number;
  readonly loop: 'open' | 'closed' | 'auto';
}

const OPTIONS = {
  workload: { type: 'string' },
  space: { type: 'string' },
  slo: { type: 'string' },
  budget: { type: 'string' },
  objective: { type: 'string' },
  'simulate-top': { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  top: { type: 'string' },
  seed: { type: 'string' },
  'sessions-per-second': { type: 'string' },
  duration: { type: 'string' },
  format: { type: 'string' },
  window: { type: 'string' },
  'max-requests': { type: 'string' },
  'token-scale': { type: 'string' },
  loop: { type: 'string' },
} as const;

/** The CLI's objective names (kebab-case) and the result field each ranks by. */
export const OBJECTIVE_FLAGS: Readonly<Record<string, ObjectiveKey>> = {
  'goodput-per-usd': 'goodputPerUsd',
  'goodput-per-kw': 'goodputPerKw',
  goodput: 'goodputRps',
  'tokens-per-joule': 'tokensPerJoule',
};

/** `2.5`, `2.5s`, `150ms` → seconds; NaN when malformed. */
export function secondsValue(text: string): number {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*(ms|s)?\s*$/.exec(text);
  if (m === null) return Number.NaN;
  const v = Number(text.trim().replace(/(ms|s)$/, ''));
  return m[2] === 'ms' ? v / 1000 : v;
}

/** `ttft=2.5,tpot=150ms` (both required). */
export function parseSlo(text: string, errors: string[]): ExploreArgs['slo'] {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if ((k !== 'ttft' && k !== 'tpot') || v === undefined) {
      errors.push(`--slo: expected ttft=<s>,tpot=<s> (e.g. ttft=2.5,tpot=150ms), got '${part}'`);
      continue;
    }
    const s = secondsValue(v);
    if (!(s > 0)) errors.push(`--slo: ${k} must be a time > 0 (2.5, 2.5s, 150ms), got '${v}'`);
    else out[k] = s;
  }
  for (const k of ['ttft', 'tpot'])
    if (!text.split(',').some((p) => p.trim().startsWith(`${k}=`))) errors.push(`--slo: ${k}=… is missing`);
  return { ttftSeconds: out.ttft ?? 0, tpotSeconds: out.tpot ?? 0 };
}

/** `200` ($/h) or `usd=200,watts=50000`. */
export function parseBudget(text: string, errors: string[]): ExploreArgs['budget'] {
  const plain = Number(text);
  if (text.trim() !== '' && Number.isFinite(plain)) {
    if (plain > 0) return { usdPerHour: plain, watts: null };
    errors.push(`--budget must be > 0, got '${text}'`);
    return { usdPerHour: null, watts: null };
  }
  let usd: number | null = null;
  let watts: number | null = null;
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    const n = Number(v);
    if ((k !== 'usd' && k !== 'watts') || v === undefined || !(n > 0)) {
      errors.push(`--budget: expected <$/h> or usd=<$/h>,watts=<W>, got '${part}'`);
    } else if (k === 'usd') usd = n;
    else watts = n;
  }
  return { usdPerHour: usd, watts };
}

export function parseExploreArgs(argv: string[]): ExploreArgs {
  const { values: v, positionals } = parseFlags({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const errors: string[] = [];
  if (positionals.length > 0)
    errors.push(`unexpected argument${positionals.length > 1 ? 's' : ''}: ${positionals.join(' ')}`);
  if (v.workload === undefined)
    errors.push('--workload is required: a workflow id (coding, chat, web-use, computer-use) or a trace file');
  if (v.slo === undefined) errors.push('--slo is required, e.g. --slo ttft=2.5,tpot=150ms');
  const slo = v.slo === undefined ? { ttftSeconds: 0, tpotSeconds: 0 } : parseSlo(v.slo, errors);
  const budget = v.budget === undefined ? { usdPerHour: null, watts: null } : parseBudget(v.budget, errors);
  const integer = (flag: string, text: string | undefined, min: number, fallback: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
      errors.push(`--${flag} must be an integer ≥ ${min}, got '${text}'`);
      return fallback;
    }
    return n;
  };
  const positive = (flag: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!(Number.isFinite(n) && n > 0)) {
      errors.push(`--${flag} must be a number > 0, got '${text}'`);
      return fallback;
    }
    return n;
  };
  const objectiveFlag = v.objective ?? 'goodput-per-usd';
  const objective = OBJECTIVE_FLAGS[objectiveFlag];
  if (objective === undefined)
    errors.push(`--objective must be one of ${Object.keys(OBJECTIVE_FLAGS).join(', ')}; got '${objectiveFlag}'`);
  let shard: ExploreArgs['shard'] = null;
  if (v.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(v.shard.trim());
    const i = Number(m?.[1]);
    const n = Number(m?.[2]);
    if (m === null || !(n >= 1) || !(i >= 0 && i < n))
      errors.push(`--shard must be i/N with 0 ≤ i < N (e.g. 0/8), got '${v.shard}'`);
    else shard = { index: i, count: n };
  }
  const format = v.format ?? 'auto';
  if (format !== 'auto' && !(TRACE_FORMATS as readonly string[]).includes(format)) {
    errors.push(`--format must be one of auto, ${TRACE_FORMATS.join(', ')}; got '${format}'`);
  }
  let window: TraceWindow | undefined;
  if (v.window !== undefined) {
    const w = parseWindow(v.window);
    if (w.ok) window = w.window;
    else errors.push(`--window: ${w.error}`);
  }
  const maxRequests = v['max-requests'] === undefined ? undefined : integer('max-requests', v['max-requests'], 1, 1);
  if (maxRequests !== undefined) window = { ...window, maxRequests };
  const loop = v.loop ?? 'auto';
  if (!['open', 'closed', 'auto'].includes(loop)) errors.push(`--loop must be open, closed or auto; got '${loop}'`);
  const args: ExploreArgs = {
    workload: v.workload ?? '',
    space: v.space ?? null,
    slo,
    budget,
    objective: objective ?? OBJECTIVE_KEYS[0],
    simulateTop: integer('simulate-top', v['simulate-top'], 0, 50),
    workers: integer('workers', v.workers, 1, 1),
    shard,
    out: v.out ?? null,
    json: v.json ?? false,
    csv: v.csv ?? false,
    top: integer('top', v.top, 1, 20),
    seed: integer('seed', v.seed, 0, 1),
    sessionsPerSecond: positive('sessions-per-second', v['sessions-per-second'], 0.1),
    durationSeconds: positive('duration', v.duration, 600),
    format: format as ExploreArgs['format'],
    window,
    tokenScale: positive('token-scale', v['token-scale'], 1),
    loop: loop as ExploreArgs['loop'],
  };
  if (args.json && args.csv) errors.push('--json and --csv both print to stdout; give one');
  if (errors.length > 0)
    throw new UsageError(errors.length === 1 ? (errors[0] as string) : `\n  ${errors.join('\n  ')}`);
  return args;
}
