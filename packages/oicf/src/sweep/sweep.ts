import { unwrap } from '../errors.js';
import { getDevice } from '../hardware/devices.js';
import { getModel } from '../models/lookup.js';
import { getPrecision, precisionLabel } from '../precision.js';
import type { DeviceSpec, ModelSpec, PrecisionConfig, SweepRow, SweepSpec, WorkflowSpec } from '../types.js';
import { getWorkflow, WORKFLOW_IDS } from '../workflows/catalog.js';
import { trajectory } from './trajectory.js';

/** The default sweep: 4 workflows × 7 models × 7 devices × 3 precisions, 30-turn trajectories,
 * decode at the largest batch that fits (≤ 256), each model on the smallest scale-up domain that
 * holds its weights in half the memory ('fit-weights'). */
export const DEFAULT_SWEEP: Required<
  Pick<SweepSpec, 'workflows' | 'models' | 'devices' | 'precisions' | 'numTurns' | 'seed' | 'decodeBatch' | 'sharding'>
> = {
  workflows: WORKFLOW_IDS,
  models: ['llama-2-7b', 'llama-2-13b', 'llama-3-8b', 'llama-3.1-70b', 'mixtral-8x7b', 'deepseek-v3', 'tiny-gqa'],
  devices: ['h100', 'h200', 'b200', 'gb200', 'mi300x', 'rubin-cpx', 'lpddr-decode'],
  precisions: ['bf16', 'fp8', 'w4a16'],
  numTurns: 30,
  seed: 1,
  decodeBatch: 'max',
  sharding: 'fit-weights',
};

/** Every (workflow, model, device, precision) trajectory as flat rows: two per turn (prefill,
 * decode). Fields left out of `spec` come from DEFAULT_SWEEP. Ids are resolved at this edge: an
 * unknown id throws OicfCoreError NOT_FOUND listing the valid ones. */
export function sweep(spec: SweepSpec = {}): SweepRow[] {
  const workflows = (spec.workflows ?? DEFAULT_SWEEP.workflows).map(resolveWorkflow);
  const models = (spec.models ?? DEFAULT_SWEEP.models).map(resolveModel);
  const devices = (spec.devices ?? DEFAULT_SWEEP.devices).map(resolveDevice);
  const precisions = (spec.precisions ?? DEFAULT_SWEEP.precisions).map(resolvePrecision);
  const options = {
    seed: spec.seed ?? DEFAULT_SWEEP.seed,
    numTurns: spec.numTurns ?? DEFAULT_SWEEP.numTurns,
    decodeBatch: spec.decodeBatch ?? DEFAULT_SWEEP.decodeBatch,
    sharding: spec.sharding ?? DEFAULT_SWEEP.sharding,
    ...(spec.maxDecodeBatch !== undefined ? { maxDecodeBatch: spec.maxDecodeBatch } : {}),
  };
  const rows: SweepRow[] = [];
  for (const workflow of workflows) {
    for (const model of models) {
      for (const device of devices) {
        for (const precision of precisions) {
          const result = trajectory(workflow, model, device, precision, spec.convention, options);
          const precisionId = precisionLabel(precision);
          for (const point of result.points) {
            rows.push({
              ...point,
              workflowId: workflow.id,
              modelId: model.id,
              deviceId: device.id,
              precisionId,
              convention: result.convention,
            });
          }
        }
      }
    }
  }
  return rows;
}

function resolveWorkflow(entry: WorkflowSpec | string): WorkflowSpec {
  return typeof entry === 'string' ? unwrap(getWorkflow(entry)) : entry;
}

function resolveModel(entry: ModelSpec | string): ModelSpec {
  return typeof entry === 'string' ? unwrap(getModel(entry)) : entry;
}

function resolveDevice(entry: DeviceSpec | string): DeviceSpec {
  return typeof entry === 'string' ? unwrap(getDevice(entry)) : entry;
}

function resolvePrecision(entry: PrecisionConfig | string): PrecisionConfig {
  return typeof entry === 'string' ? unwrap(getPrecision(entry)) : entry;
}
