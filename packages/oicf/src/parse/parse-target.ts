import { fail, ok } from '../errors.js';
import { getDevice } from '../hardware/devices.js';
import { getModel } from '../models/lookup.js';
import type { DeviceSpec, FieldIssue, ModelSpec, Result } from '../types.js';

/** A catalog model on a catalog device, written `<model>@<device>` (e.g. `llama-3.1-70b@h100`). */
export interface TargetSpec {
  readonly model: ModelSpec;
  readonly device: DeviceSpec;
}

const TARGET_FORMAT = /^[a-z0-9.-]+@[a-z0-9.-]+$/;

/**
 * Reads `<model>@<device>`, the emulation target of a worker. A malformed string is INVALID_ARGUMENT;
 * unknown ids are NOT_FOUND with one issue per unknown id (`model`, `device`), each listing the valid ids.
 */
export function parseTargetSpec(spec: string): Result<TargetSpec> {
  if (!TARGET_FORMAT.test(spec)) {
    return fail({
      code: 'INVALID_ARGUMENT',
      message: `must look like <model>@<device>, e.g. llama-3.1-70b@h100, got ${JSON.stringify(spec)}`,
    });
  }
  const [modelId = '', deviceId = ''] = spec.split('@');
  const model = getModel(modelId);
  const device = getDevice(deviceId);
  if (model.ok && device.ok) return ok({ model: model.value, device: device.value });
  const issues: FieldIssue[] = [];
  if (!model.ok) issues.push({ path: 'model', message: model.error.message });
  if (!device.ok) issues.push({ path: 'device', message: device.error.message });
  return fail({ code: 'NOT_FOUND', message: issues.map((i) => i.message).join('; '), issues });
}

/** The messages of a failed parseTargetSpec, one per problem (for config validators). */
export function targetSpecProblems(spec: string): string[] {
  const parsed = parseTargetSpec(spec);
  if (parsed.ok) return [];
  return parsed.error.issues?.map((i) => i.message) ?? [parsed.error.message];
}
