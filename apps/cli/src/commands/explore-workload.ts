// The workload `oicf explore` ranks designs on: a catalog workflow (sessions synthesized as `oicf trace
// synth` writes them, each session's context capped at the model's window less its longest output, as an
// agent compacts its history) or a trace file read and shaped as `oicf replay` does. Trace requests longer
// than the model's window are left out with a warning (no design can serve them).
import { getWorkflow, type ModelSpec, WORKFLOW_IDS } from '@oicf/core';
import { workflowWorkload } from '@oicf/explore';
import { prepareTrace } from '@oicf/loadgen';
import type { TraceRequest } from '@oicf/traces';
import { UsageError } from '../command.js';
import type { ExploreArgs } from './explore-args.js';

export interface LoadedWorkload {
  readonly label: string;
  readonly requests: TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly warnings: string[];
}

export async function loadWorkload(args: ExploreArgs, model: ModelSpec, cwd: string): Promise<LoadedWorkload> {
  const workflow = getWorkflow(args.workload);
  if (workflow.ok) {
    const cap = model.maxContextTokens - workflow.value.outputTokensPerTurn.max;
    const w = workflowWorkload({
      workflow: workflow.value,
      sessionsPerSecond: args.sessionsPerSecond,
      durationSeconds: args.durationSeconds,
      seed: args.seed,
      maxContextTokens: cap,
    });
    return {
      label: `${workflow.value.id} (${w.numSessions} sessions at ${args.sessionsPerSecond}/s over ${args.durationSeconds} s, seed ${args.seed})`,
      requests: w.requests,
      loop: 'closed',
      warnings: [],
    };
  }
  const trace = await prepareTrace(
    {
      traceFile: args.workload,
      format: args.format,
      skipBadLines: false,
      window: args.window,
      tokenScale: args.tokenScale,
      tokenScaleMode: 'blocks',
      loop: args.loop,
    },
    cwd,
  );
  if (!trace.ok) {
    const hint =
      trace.kind === 'unreadable' && !/[./]/.test(args.workload)
        ? ` (not a workflow either: ${WORKFLOW_IDS.join(', ')})`
        : '';
    throw new UsageError(`--workload: ${trace.message}${hint}`);
  }
  const fits = trace.requests.filter((r) => r.inputTokens + Math.max(1, r.outputTokens) <= model.maxContextTokens);
  const warnings = [...trace.warnings];
  const dropped = trace.requests.length - fits.length;
  if (dropped > 0) {
    warnings.push(
      `${dropped} of ${trace.requests.length} requests exceed ${model.id}'s ${model.maxContextTokens}-token window and are left out`,
    );
  }
  if (fits.length === 0) throw new UsageError(`--workload: no request of ${args.workload} fits ${model.id}'s window`);
  return { label: args.workload, requests: fits, loop: trace.loop, warnings };
}
