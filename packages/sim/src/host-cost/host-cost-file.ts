// `.oicf/host-cost.json`: this machine's host-cost model (host-cost.ts), written by the fidelity bench's
// `--fit-host` (fitted from a real run, fit-host-cost.ts) beside the step-time model, read by `oicf simulate`
// and the bench when they simulate the local cluster. A bad file is refused naming the field.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fieldIssues } from '@oicf/core';
import { z } from 'zod';
import type { LineFit } from './fit-handoff-cost.js';
import type { KindFit } from './fit-host-cost.js';
import type { HostCost } from './host-cost.js';

export const HOST_COST_FILE_VERSION = 1;

export interface HostCostFile {
  readonly version: typeof HOST_COST_FILE_VERSION;
  readonly fittedAtIso: string;
  /** What run it was fitted from (the command, trace window, config). */
  readonly source: string;
  readonly loadAverage: readonly number[];
  readonly cost: HostCost;
  /** The same-host KV link as measured (undefined: keep the twin's nominal figure). */
  readonly kvLink?: { readonly bandwidthBytesPerSecond: number; readonly latencySeconds: number };
  readonly fits: readonly KindFit[];
  /** The per-request lines the measured handoff cost came from (fit-handoff-cost.ts), when it has one. */
  readonly handoffFit?: { readonly send: LineFit; readonly firstGap: LineFit };
}

/** A number field that `ok` accepts, refused as "expected <what>, got <the value>". */
function numberField(ok: (x: number) => boolean, expected: string) {
  return z.custom<number>((x) => typeof x === 'number' && ok(x), {
    error: (issue) => `expected ${expected}, got ${JSON.stringify(issue.input)}`,
  });
}

const cost = numberField((x) => Number.isFinite(x) && x >= 0, 'a finite number ≥ 0');
/** A kind's costs; a missing kind is checked as empty, so each of its fields is named. */
const costOf = (names: readonly string[]) => z.object(Object.fromEntries(names.map((n) => [n, cost]))).prefault({});

/** The measured decode graph builds (host-cost.ts GraphBuildCost; bench/sim-fidelity-graph-build.ts writes one). */
const graphBuildSchema = z.object({
  secondsPerGraph: cost,
  secondsPerSequence: cost,
  kTileTokens: numberField((x) => Number.isInteger(x) && x >= 0, 'a whole number ≥ 0'),
  warmedBatches: z.array(numberField((x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1')),
});

const schema = z.object(
  {
    version: z.literal(HOST_COST_FILE_VERSION, {
      error: (issue) => `expected ${HOST_COST_FILE_VERSION}, got ${String(issue.input)}`,
    }),
    cost: z.object(
      {
        router: costOf(['secondsPerRequest', 'secondsPerToken', 'busyCores']),
        client: costOf(['secondsPerRequest', 'secondsPerToken', 'busyCores']),
        prefill: z
          .object({
            ...Object.fromEntries(
              ['secondsPerStep', 'secondsPerToken', 'secondsPerKvByte', 'busyCores'].map((n) => [n, cost]),
            ),
            kernelScale: numberField((x) => Number.isFinite(x) && x > 0, 'a finite number > 0').optional(),
            sendCpu: z.object({ secondsPerSend: cost, secondsPerByte: cost }).optional(),
          })
          .prefault({}),
        decode: z
          .object({
            ...Object.fromEntries(
              ['secondsPerRequest', 'secondsPerStep', 'secondsPerSequenceStep', 'secondsPerKvByte', 'busyCores'].map(
                (n) => [n, cost],
              ),
            ),
            loopFlush: z.object({ secondsPerStep: cost, secondsPerSequence: cost }).optional(),
            finishSeconds: cost.optional(),
            loopPace: z.object({ secondsPerStep: cost }).optional(),
            graphBuild: graphBuildSchema.optional(),
          })
          .prefault({}),
        pool: costOf(['secondsPerKvByte', 'busyCores']),
        handoff: z
          .object(
            Object.fromEntries(
              ['sendSecondsPerByte', 'importSecondsPerByte', 'offPathSecondsPerByte'].map((n) => [n, cost]),
            ),
          )
          .optional(),
      },
      { error: 'missing' },
    ),
    kvLink: z
      .object({
        bandwidthBytesPerSecond: numberField((x) => x > 0, 'a number > 0'),
        latencySeconds: numberField((x) => x >= 0, 'a number ≥ 0'),
      })
      .optional(),
  },
  { error: 'the file is not a JSON object' },
);

/** The problems of a parsed file, each naming its field (empty: valid). */
export function hostCostFileIssues(v: unknown): string[] {
  return issuesOf(schema, v);
}

/** The problems of a parsed graph-build cost (a file's `cost.decode.graphBuild`), each naming its field. */
export function graphBuildCostIssues(v: unknown): string[] {
  return issuesOf(graphBuildSchema, v);
}

function issuesOf(s: z.ZodType, v: unknown): string[] {
  const r = s.safeParse(v);
  return r.success ? [] : fieldIssues(r.error.issues).map((i) => `${i.path}: ${i.message}`);
}

/** The file at `path`, undefined when there is none; throws naming the file and field when it is bad. */
export function loadHostCostFile(path: string): HostCostFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message})`);
  }
  const issues = hostCostFileIssues(parsed);
  if (issues.length > 0) throw new Error(`${path}: ${issues.join('; ')}`);
  return parsed as HostCostFile;
}

export function saveHostCostFile(path: string, file: HostCostFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
