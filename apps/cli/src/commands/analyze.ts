import { readFileSync } from 'node:fs';
import {
  CONVENTION_NAMES,
  DEFAULT_SWEEP,
  DEVICE_IDS,
  MODEL_IDS,
  PRECISION_PRESET_IDS,
  precisionLabel,
  TIER_IDS,
  WORKFLOW_IDS,
} from '@oicf/core';
import {
  type AnalyzeArgs,
  DEFAULT_NUM_TURNS,
  DEFAULT_OUT_DIR,
  DEFAULT_SEED,
  parseAnalyzeArgs,
} from '../analyze/args.js';
import { describeConvention } from '../analyze/convention-text.js';
import { type FigureFocus, fitWeightsFor, pickFigureDevices, pickFigureModel } from '../analyze/figures.js';
import { operatorTable, pointCsv, pointHeadline, pointJson, pointSummaryTable } from '../analyze/point-output.js';
import { pointReport, type ReportFile, sweepReport } from '../analyze/report.js';
import { type AnalyzeInputs, resolveInputs } from '../analyze/resolve-inputs.js';
import { DEFAULT_CONTEXT_TOKENS, DEFAULT_PROMPT_TOKENS, runPoint, shardingFor } from '../analyze/run-point.js';
import { runSweep } from '../analyze/run-sweep.js';
import { summarizeTrajectories, sweepCsv, sweepSummaryTable } from '../analyze/sweep-output.js';
import { renderTextTable } from '../analyze/text-table.js';
import { describeThisMachine } from '../analyze/this-machine-source.js';
import { writeReportFiles } from '../analyze/write-files.js';
import type { Command, CommandIo } from '../command.js';

const USAGE = `Usage: oicf analyze [options]

Operational intensity (FLOPs per byte moved) and capacity footprint (bytes resident per request)
of LLM inference, from the analytic model in @oicf/core (conventions: docs/oicf.md).

A point query (one --model and one --device, no --workflow; or any point flag below) analyses one
step; otherwise a sweep runs simulated agent sessions for workflows × models × devices × precisions
(--device h100 alone sweeps every model on h100). With no options at all
it runs the default sweep: ${DEFAULT_SWEEP.workflows.length} workflows × ${DEFAULT_SWEEP.models.length} models × ${DEFAULT_SWEEP.devices.length} devices × ${DEFAULT_SWEEP.precisions.length} precisions, ${DEFAULT_NUM_TURNS}-turn sessions.
Both write the OI–CF plane and the roofline as SVG plus a self-contained HTML report.

Point query:
  --model <id>            ${MODEL_IDS.join(', ')}
  --device <id>           ${DEVICE_IDS.join(', ')}
  --phase <p>             decode (default) or prefill
  --batch <n>             sequences in the step (default 1)
  --context <n>           decode: tokens already in the KV cache (default ${DEFAULT_CONTEXT_TOKENS});
                          prefill: cached prefix tokens (default 0). Beyond the model's maximum
                          positions it warns (JSON: "warnings") and still computes
  --prompt <n>            prefill: new prompt tokens (default ${DEFAULT_PROMPT_TOKENS}); decode: the context when
                          --context is absent
  --tp <n>                tensor-parallel devices in one scale-up domain (default 1); at most the
                          device's domain size, and a divisor of the model's attention heads
  --kv-tier <tier>[:f]    keep fraction f (default 1) of each request's KV in a tier: ${TIER_IDS.join(', ')}

Sweep:
  --workflow <id>         ${WORKFLOW_IDS.join(', ')} (repeat or comma-separate; default all)
  --model, --device, --precision   restrict the sweep (repeat or comma-separate)
  --sweep                 run a sweep even for one --model and one --device
  --turns <n>             turns per session (default ${DEFAULT_NUM_TURNS})
  --seed <n>              session generator seed (default ${DEFAULT_SEED})
  --decode-batch <n|max>  decode batch per turn; max = largest that fits, ≤ 256 (default max)

Both:
  --precision <p>         ${PRECISION_PRESET_IDS.join(', ')} or one element type (default bf16;
                          sweep default ${DEFAULT_SWEEP.precisions.join(', ')})
  --kv-precision <p>      override the KV cache precision
  --convention <c>        ${CONVENTION_NAMES.join(', ')} (default oicf)
  --model-file <json>     a model described in JSON instead of --model (same for --device-file,
                          --workflow-file); every bad field is reported. A Hugging Face config.json
                          works as is (llama, mistral, mixtral, qwen2/3 and their MoE, deepseek_v2/v3,
                          gpt_oss); a point query then defaults to its torch_dtype. --device-file also
                          takes a calibration profile saved by 'oicf roofline' (.oicf/calibration.json)
  --calibration <file>    figures for --device this-machine (default .oicf/calibration.json when it
                          exists, else the static DESIGN.md §7 figures; the output says which)
  --json                  print JSON (point: the result with per-operator rows; sweep: rows + summaries)
  --csv                   print CSV (sweep: one row per turn and phase; point: per-operator rows)
  --out <dir>             where the SVG and HTML go (default ${DEFAULT_OUT_DIR}/)
  --no-files              do not write them

Examples:
  oicf analyze --model llama-3.1-70b --device h100 --context 32768 --batch 8 --tp 8
  oicf analyze --workflow coding --model deepseek-v3 --device h200,mi300x --csv > coding.csv
  oicf analyze --model llama-3-8b --device this-machine --precision fp32
`;

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'FLOPs, bytes, operational intensity, capacity footprint and regime: one point or a sweep',
  usage: USAGE,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseAnalyzeArgs(argv);
    const inputs = resolveInputs(args, (path) => readFileSync(path, 'utf8'), io.cwd);
    for (const note of inputs.modelNotes) io.stderr(`oicf analyze: note: --model-file: ${note}\n`);
    const commandLine = ['oicf analyze', ...argv].join(' ');
    return args.mode === 'point'
      ? runPointCommand(args, inputs, io, commandLine)
      : runSweepCommand(args, inputs, io, commandLine);
  },
};

function runPointCommand(args: AnalyzeArgs, inputs: AnalyzeInputs, io: CommandIo, commandLine: string): number {
  const run = runPoint(args, inputs);
  for (const warning of run.warnings) io.stderr(`oicf analyze: warning: ${warning}\n`);
  const machine = inputs.thisMachine ? `${describeThisMachine(inputs.thisMachine)}\n` : '';
  if (args.format === 'json') io.stdout(`${JSON.stringify(pointJson(run, inputs), null, 2)}\n`);
  else if (args.format === 'csv') io.stdout(pointCsv(run));
  else {
    io.stdout(
      `${pointHeadline(run)}\nconvention: ${describeConvention(inputs.convention)}\n${machine}\n${renderTextTable(pointSummaryTable(run))}\nper operator (whole model, whole batch, one step):\n${renderTextTable(operatorTable(run))}`,
    );
  }
  if (!args.writeFiles) return 0;
  const focus: FigureFocus = {
    model: run.model,
    precision: run.precision,
    precisionId: run.precisionId,
    devices: [run.device],
    decodeBatch: run.result.batch,
    shardingFor: () => shardingFor(run.model, args.numTensorParallel),
    ...(inputs.kvPlacement ? { kvPlacement: inputs.kvPlacement } : {}),
    workflows: inputs.workflows,
    numTurns: args.numTurns,
    seed: args.seed,
    convention: inputs.convention,
  };
  printPaths(args, io, writeReportFiles(io.cwd, args.outDir, pointReport(run, focus, commandLine)));
  return 0;
}

async function runSweepCommand(
  args: AnalyzeArgs,
  inputs: AnalyzeInputs,
  io: CommandIo,
  commandLine: string,
): Promise<number> {
  const outcome = await runSweep(args, inputs, {
    signal: io.signal,
    onProgress: io.isTty
      ? (done, total) => io.stderr(`\roicf analyze: ${done}/${total} trajectories${done === total ? '\n' : ''}`)
      : undefined,
  });
  if (outcome.interrupted) {
    io.stderr(
      `\noicf analyze: interrupted after ${outcome.numCompleted} of ${outcome.numTrajectories} trajectories; output is partial\n`,
    );
  }
  const summaries = summarizeTrajectories(outcome.rows);
  const convention = describeConvention(inputs.convention);
  const description = `${outcome.numCompleted} of ${outcome.numTrajectories} trajectories (${inputs.workflows.length} workflows × ${inputs.models.length} models × ${inputs.devices.length} devices × ${inputs.precisions.length} precisions), ${args.numTurns} turns, decode batch ${args.decodeBatch}, ${outcome.rows.length} rows`;
  if (args.format === 'json') {
    const body = {
      convention: inputs.convention.name,
      conventionSummary: convention,
      conventionOptions: inputs.convention.options,
      ...(inputs.thisMachine ? { thisMachine: inputs.thisMachine } : {}),
      numTrajectories: outcome.numTrajectories,
      numCompleted: outcome.numCompleted,
      interrupted: outcome.interrupted,
      numTurns: args.numTurns,
      seed: args.seed,
      decodeBatch: args.decodeBatch,
      summaries,
      // Each row also under the point query's short names (bytes, operationalIntensity).
      rows: outcome.rows.map((r) => ({
        ...r,
        bytes: r.totalBytes,
        operationalIntensity: r.operationalIntensityFlopsPerByte,
      })),
    };
    io.stdout(`${JSON.stringify(body)}\n`);
  } else if (args.format === 'csv') {
    io.stdout(sweepCsv(outcome.rows));
  } else {
    io.stdout(
      `oicf analyze sweep: ${description}\nconvention: ${convention}\n${inputs.thisMachine ? `${describeThisMachine(inputs.thisMachine)}\n` : ''}\n${renderTextTable(sweepSummaryTable(summaries))}`,
    );
  }
  const model = pickFigureModel(inputs.models, args.models.length > 0 || args.modelFile !== undefined);
  const precision = inputs.precisions[0];
  if (args.writeFiles && model && precision && inputs.devices.length > 0) {
    const focus: FigureFocus = {
      model,
      precision,
      precisionId: precisionLabel(precision),
      devices: pickFigureDevices(inputs.devices, args.devices.length > 0 || args.deviceFile !== undefined),
      decodeBatch: args.decodeBatch,
      shardingFor: fitWeightsFor(model, precision),
      workflows: inputs.workflows,
      numTurns: args.numTurns,
      seed: args.seed,
      convention: inputs.convention,
    };
    const files: ReportFile[] = sweepReport(focus, sweepSummaryTable(summaries), description, commandLine);
    printPaths(args, io, writeReportFiles(io.cwd, args.outDir, files));
  }
  return outcome.interrupted ? 130 : 0;
}

/** Paths go to stdout under the table, to stderr when stdout carries JSON or CSV. */
function printPaths(args: AnalyzeArgs, io: CommandIo, paths: readonly string[]): void {
  const text = `\nwrote:\n${paths.map((p) => `  ${p}`).join('\n')}\n`;
  if (args.format === 'table') io.stdout(text);
  else io.stderr(text.trimStart());
}
