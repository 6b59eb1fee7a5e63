// `oicf simulate` arguments: the cluster config and overrides of `oicf cluster up`, the trace options of
// `oicf replay`, and the twin's own (seed, step model, block ids, a real run to compare with). Every
// problem is collected and reported at once.
import { checkValue, type MODES } from '@oicf/cluster';
import { DEFAULT_SLO, type Slo } from '@oicf/report';
import type { BlockIdMode } from '@oicf/sim';
import type { StepModelChoice } from '@oicf/sim/config';
import { parseWindow, TRACE_FORMATS, type TraceFormat, type TraceWindow } from '@oicf/traces';
import { UsageError } from '../command.js';
import { parseFlags } from '../flags.js';

export interface SimulateArgs {
  readonly configFile: string | null;
  readonly traceFile: string;
  readonly format: TraceFormat | 'auto';
  readonly skipBadLines: boolean;
  readonly loop: 'open' | 'closed' | 'auto';
  readonly speed: number;
  readonly tokenScale: number;
  readonly tokenScaleMode: 'blocks' | 'remap';
  readonly window: TraceWindow | undefined;
  readonly concurrency: number | null;
  readonly sessionTtlSeconds: number | null;
  readonly policy: string | null;
  readonly mode: (typeof MODES)[number] | null;
  readonly emulate: string | null;
  readonly seed: number;
  readonly stepModel: StepModelChoice | null;
  readonly stepTimeFile: string;
  /** This machine's host-cost model (the services' own CPU, the KV link's rate); null: --no-host-cost. */
  readonly hostCostFile: string | null;
  /** How the twin's host shares its cores among the services' threads (DESIGN: per-core run queues). */
  readonly hostScheduling: 'per-core' | 'shared';
  readonly blockIds: BlockIdMode;
  readonly vs: string | null;
  readonly slo: Slo;
  readonly outDir: string | null;
  readonly json: boolean;
}

const OPTIONS = {
  config: { type: 'string' },
  trace: { type: 'string' },
  format: { type: 'string' },
  'skip-bad-lines': { type: 'boolean' },
  loop: { type: 'string' },
  speed: { type: 'string' },
  'token-scale': { type: 'string' },
  'token-scale-mode': { type: 'string' },
  window: { type: 'string' },
  'max-requests': { type: 'string' },
  concurrency: { type: 'string' },
  'session-ttl': { type: 'string' },
  policy: { type: 'string' },
  mode: { type: 'string' },
  emulate: { type: 'string' },
  seed: { type: 'string' },
  'step-model': { type: 'string' },
  'step-time-file': { type: 'string' },
  'host-cost-file': { type: 'string' },
  'no-host-cost': { type: 'boolean' },
  'host-scheduling': { type: 'string' },
  'block-ids': { type: 'string' },
  vs: { type: 'string' },
  'slo-ttft': { type: 'string' },
  'slo-tpot': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Where `oicf roofline` saves the calibrated step-time model (@oicf/kernels/step-time DEFAULT_STEP_TIME_PATH). */
export const DEFAULT_STEP_TIME_FILE = '.oicf/step-time.json';
/** Where the fidelity bench's --fit-host saves the host-cost model (beside the step-time model). */
export const DEFAULT_HOST_COST_FILE = '.oicf/host-cost.json';

export function parseSimulateArgs(argv: string[]): SimulateArgs {
  const v = parseFlags({ args: argv, options: OPTIONS, allowPositionals: false, strict: true }).values;
  const errors: string[] = [];
  const number = (flag: string, text: string | undefined, ok: (n: number) => boolean, rule: string) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || !ok(n)) {
      errors.push(`--${flag} must be ${rule}, got '${text}'`);
      return undefined;
    }
    return n;
  };
  const positive = (flag: string, text: string | undefined) => number(flag, text, (n) => n > 0, 'a number > 0');
  const integer = (flag: string, text: string | undefined, min: number) =>
    number(flag, text, (n) => Number.isSafeInteger(n) && n >= min, `an integer ≥ ${min}`);
  const oneOf = <T extends string>(flag: string, text: string | undefined, values: readonly T[], fallback: T): T => {
    if (text === undefined) return fallback;
    if ((values as readonly string[]).includes(text)) return text as T;
    errors.push(`--${flag} must be one of ${values.join(', ')}; got '${text}'`);
    return fallback;
  };

  if (v['no-host-cost'] && v['host-cost-file'] !== undefined) {
    errors.push('--host-cost-file and --no-host-cost contradict each other: give one');
  }
  if (v.trace === undefined)
    errors.push('--trace <file> is required (a Mooncake, Azure, agent, weka or copilot trace)');
  const format = oneOf('format', v.format, ['auto', ...TRACE_FORMATS] as const, 'auto');
  let window: TraceWindow | undefined;
  if (v.window !== undefined) {
    const w = parseWindow(v.window);
    if (w.ok) window = w.window;
    else errors.push(`--window: ${w.error}`);
  }
  const maxRequests = integer('max-requests', v['max-requests'], 1);
  if (maxRequests !== undefined) window = { ...window, maxRequests };
  for (const key of ['policy', 'mode', 'emulate'] as const) {
    const value = v[key];
    if (value === undefined) continue;
    const problem = checkValue(key, value);
    if (problem !== undefined) errors.push(`--${key}: ${problem}`);
  }
  const slo: Slo = {
    ttftSeconds: v['slo-ttft'] === undefined ? DEFAULT_SLO.ttftSeconds : (positive('slo-ttft', v['slo-ttft']) ?? null),
    tpotSeconds: v['slo-tpot'] === undefined ? DEFAULT_SLO.tpotSeconds : (positive('slo-tpot', v['slo-tpot']) ?? null),
  };
  const stepModel =
    v['step-model'] === undefined
      ? null
      : oneOf('step-model', v['step-model'], ['oicf', 'calibrated'] as const, 'oicf');
  const result: SimulateArgs = {
    configFile: v.config ?? null,
    traceFile: v.trace ?? '',
    format,
    skipBadLines: v['skip-bad-lines'] ?? false,
    loop: oneOf('loop', v.loop, ['open', 'closed', 'auto'] as const, 'auto'),
    speed: positive('speed', v.speed) ?? 1,
    tokenScale: positive('token-scale', v['token-scale']) ?? 1,
    tokenScaleMode: oneOf('token-scale-mode', v['token-scale-mode'], ['blocks', 'remap'] as const, 'blocks'),
    window,
    concurrency: integer('concurrency', v.concurrency, 1) ?? null,
    sessionTtlSeconds: number('session-ttl', v['session-ttl'], (n) => n >= 0, 'a number ≥ 0') ?? null,
    policy: v.policy ?? null,
    mode: (v.mode as SimulateArgs['mode']) ?? null,
    emulate: v.emulate ?? null,
    seed: integer('seed', v.seed, 0) ?? 1,
    stepModel,
    stepTimeFile: v['step-time-file'] ?? DEFAULT_STEP_TIME_FILE,
    hostCostFile: v['no-host-cost'] ? null : (v['host-cost-file'] ?? DEFAULT_HOST_COST_FILE),
    hostScheduling: oneOf('host-scheduling', v['host-scheduling'], ['per-core', 'shared'] as const, 'per-core'),
    blockIds: oneOf('block-ids', v['block-ids'], ['fast', 'exact'] as const, 'fast'),
    vs: v.vs ?? null,
    slo,
    outDir: v.out ?? null,
    json: v.json ?? false,
  };
  if (errors.length > 0)
    throw new UsageError(errors.length === 1 ? (errors[0] as string) : `\n  ${errors.join('\n  ')}`);
  return result;
}
