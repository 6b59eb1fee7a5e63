import type { RangeSpec, Result, WorkflowSpec } from '../types.js';
import { FieldChecker, join } from './field-checker.js';

const WORKFLOW_KEYS = [
  'id',
  'displayName',
  'source',
  'numTurns',
  'systemPromptTokens',
  'userTokensPerTurn',
  'toolOutputTokensPerTurn',
  'numScreenshotsPerTurn',
  'tokensPerScreenshot',
  'outputTokensPerTurn',
  'gapSeconds',
  'maxContextTokens',
];
const ZERO: RangeSpec = { min: 0, max: 0, distribution: 'uniform' };

/** Validates an untrusted workflow description. Ranges are `{ min, max, distribution? }` with
 * min ≤ max, distribution 'uniform' (default) or 'log-uniform' (then min > 0). Required: id,
 * numTurns, outputTokensPerTurn, maxContextTokens; the other ranges default to 0. */
export function parseWorkflowSpec(json: unknown): Result<WorkflowSpec> {
  const check = new FieldChecker();
  const root = check.object(json, '');
  if (!root) return check.result('workflow', () => ({}) as WorkflowSpec);
  check.noUnknownKeys(root, WORKFLOW_KEYS, '');
  const id = check.string(root, 'id', '');
  const displayName = check.string(root, 'displayName', '', id ?? 'workflow');
  const source = check.string(root, 'source', '', 'user JSON');
  const range = (key: string, integer: boolean, required: boolean) =>
    parseRange(check, root[key], key, integer, required);
  const numTurns = range('numTurns', true, true);
  const systemPromptTokens = check.number(root, 'systemPromptTokens', '', { integer: true, min: 0 }, 0);
  const userTokensPerTurn = range('userTokensPerTurn', true, false);
  const toolOutputTokensPerTurn = range('toolOutputTokensPerTurn', true, false);
  const numScreenshotsPerTurn = range('numScreenshotsPerTurn', true, false);
  const tokensPerScreenshot = check.number(root, 'tokensPerScreenshot', '', { integer: true, min: 0 }, 0);
  const outputTokensPerTurn = range('outputTokensPerTurn', true, true);
  const gapSeconds = range('gapSeconds', false, false);
  const maxContextTokens = check.number(root, 'maxContextTokens', '', { integer: true, min: 1 });
  return check.result('workflow', () => ({
    id: id as string,
    displayName: displayName as string,
    source: source as string,
    numTurns: numTurns as RangeSpec,
    systemPromptTokens: systemPromptTokens as number,
    userTokensPerTurn: userTokensPerTurn as RangeSpec,
    toolOutputTokensPerTurn: toolOutputTokensPerTurn as RangeSpec,
    numScreenshotsPerTurn: numScreenshotsPerTurn as RangeSpec,
    tokensPerScreenshot: tokensPerScreenshot as number,
    outputTokensPerTurn: outputTokensPerTurn as RangeSpec,
    gapSeconds: gapSeconds as RangeSpec,
    maxContextTokens: maxContextTokens as number,
  }));
}

function parseRange(
  check: FieldChecker,
  value: unknown,
  path: string,
  integer: boolean,
  required: boolean,
): RangeSpec | undefined {
  if (value === undefined && !required) return ZERO;
  const obj = check.object(value, path);
  if (!obj) return undefined;
  check.noUnknownKeys(obj, ['min', 'max', 'distribution'], path);
  const min = check.number(obj, 'min', path, { integer, min: 0 });
  const max = check.number(obj, 'max', path, { integer, min: 0 });
  const distribution = obj.distribution ?? 'uniform';
  if (distribution !== 'uniform' && distribution !== 'log-uniform') {
    check.issue(join(path, 'distribution'), `must be 'uniform' or 'log-uniform', got ${String(distribution)}`);
    return undefined;
  }
  if (min === undefined || max === undefined) return undefined;
  if (min > max) {
    check.issue(join(path, 'max'), `must be ≥ min (${min}), got ${max}`);
    return undefined;
  }
  if (distribution === 'log-uniform' && min === 0 && max > 0) {
    check.issue(join(path, 'min'), 'must be > 0 for a log-uniform range');
    return undefined;
  }
  return { min, max, distribution };
}
