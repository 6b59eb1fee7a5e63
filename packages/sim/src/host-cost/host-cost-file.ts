// `.oicf/host-cost.json`: this machine's host-cost model (host-cost.ts), written by the fidelity bench's
// `--fit-host` (fitted from a real run, fit-host-cost.ts) beside the step-time model, read by `oicf simulate`
// and the bench when they simulate the local cluster. A bad file is refused naming the field.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
}

const FIELDS: Record<keyof HostCost, readonly string[]> = {
  router: ['secondsPerRequest', 'secondsPerToken', 'busyCores'],
  client: ['secondsPerRequest', 'secondsPerToken', 'busyCores'],
  prefill: ['secondsPerStep', 'secondsPerToken', 'secondsPerKvByte', 'busyCores'],
  decode: ['secondsPerRequest', 'secondsPerStep', 'secondsPerSequenceStep', 'secondsPerKvByte', 'busyCores'],
  pool: ['secondsPerKvByte', 'busyCores'],
};

/** The problems of a parsed file, each naming its field (empty: valid). */
export function hostCostFileIssues(v: unknown): string[] {
  const issues: string[] = [];
  if (typeof v !== 'object' || v === null) return ['the file is not a JSON object'];
  const f = v as Record<string, unknown>;
  if (f.version !== HOST_COST_FILE_VERSION)
    issues.push(`version: expected ${HOST_COST_FILE_VERSION}, got ${String(f.version)}`);
  const cost = f.cost as Record<string, Record<string, unknown>> | undefined;
  if (typeof cost !== 'object' || cost === null) return [...issues, 'cost: missing'];
  for (const [kind, names] of Object.entries(FIELDS)) {
    for (const n of names) {
      const x = cost[kind]?.[n];
      if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x)) {
        issues.push(`cost.${kind}.${n}: expected a finite number ≥ 0, got ${JSON.stringify(x)}`);
      }
    }
  }
  const link = f.kvLink as Record<string, unknown> | undefined;
  if (link !== undefined) {
    if (typeof link.bandwidthBytesPerSecond !== 'number' || !(link.bandwidthBytesPerSecond > 0)) {
      issues.push(
        `kvLink.bandwidthBytesPerSecond: expected a number > 0, got ${JSON.stringify(link.bandwidthBytesPerSecond)}`,
      );
    }
    if (typeof link.latencySeconds !== 'number' || !(link.latencySeconds >= 0)) {
      issues.push(`kvLink.latencySeconds: expected a number ≥ 0, got ${JSON.stringify(link.latencySeconds)}`);
    }
  }
  return issues;
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
