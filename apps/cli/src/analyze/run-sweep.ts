import { type SweepRow, sweep } from '@oicf/core';
import type { AnalyzeArgs } from './args.js';
import type { AnalyzeInputs } from './resolve-inputs.js';
import { coreCall } from './run-point.js';

/**
 * The sweep: every workflow × model × device × precision trajectory, via the
 * core's sweep() one combination at a time so that progress can be shown and
 * Ctrl-C stops between trajectories with the rows computed so far. Models are
 * sharded 'fit-weights' (smallest scale-up domain holding the weights in half
 * its memory), as in the core's DEFAULT_SWEEP.
 */

export interface SweepOutcome {
  readonly rows: readonly SweepRow[];
  readonly numTrajectories: number;
  readonly numCompleted: number;
  readonly interrupted: boolean;
}

export interface SweepHooks {
  readonly signal?: AbortSignal;
  /** Called after each trajectory with (completed, total). */
  readonly onProgress?: (numCompleted: number, numTotal: number) => void;
}

// Let signal handlers (Ctrl-C) run every this many trajectories.
const YIELD_EVERY = 8;

export async function runSweep(
  args: AnalyzeArgs,
  inputs: AnalyzeInputs,
  hooks: SweepHooks = {},
): Promise<SweepOutcome> {
  const combos = inputs.workflows.flatMap((workflow) =>
    inputs.models.flatMap((model) =>
      inputs.devices.flatMap((device) =>
        inputs.precisions.map((precision) => ({ workflow, model, device, precision })),
      ),
    ),
  );
  const rows: SweepRow[] = [];
  let numCompleted = 0;
  for (const combo of combos) {
    if (hooks.signal?.aborted) break;
    const part = coreCall(() =>
      sweep({
        workflows: [combo.workflow],
        models: [combo.model],
        devices: [combo.device],
        precisions: [combo.precision],
        numTurns: args.numTurns,
        seed: args.seed,
        convention: inputs.convention.options,
        decodeBatch: args.decodeBatch,
        sharding: 'fit-weights',
      }),
    );
    for (const row of part) rows.push(row);
    numCompleted += 1;
    hooks.onProgress?.(numCompleted, combos.length);
    if (numCompleted % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { rows, numTrajectories: combos.length, numCompleted, interrupted: numCompleted < combos.length };
}

/** Stable key of one trajectory's rows. */
export function trajectoryKey(row: Pick<SweepRow, 'workflowId' | 'modelId' | 'deviceId' | 'precisionId'>): string {
  return `${row.workflowId}|${row.modelId}|${row.deviceId}|${row.precisionId}`;
}
