import type { RangeSpec, Result, WorkflowSpec } from '../types.js';
import {
  ALWAYS_FOR_OBJECTS,
  choiceField,
  type NumberRule,
  naturalNumber,
  numberField,
  positiveInteger,
  strictFields,
  textField,
  validNumber,
} from './zod-fields.js';
import { parseWith } from './zod-issues.js';

const ZERO: RangeSpec = { min: 0, max: 0, distribution: 'uniform' };

/** `{ min, max, distribution? }`: 0 ≤ min ≤ max; 'uniform' (default) or 'log-uniform' (then min > 0 unless max is 0). */
function rangeSchema(integer: boolean) {
  const bound: NumberRule = { integer, min: 0 };
  return strictFields({
    min: numberField(bound),
    max: numberField(bound),
    distribution: choiceField(['uniform', 'log-uniform']).default('uniform'),
  })
    .superRefine((range, ctx) => {
      const min = validNumber(range.min, bound);
      const max = validNumber(range.max, bound);
      if (min === undefined || max === undefined) return;
      if (range.distribution !== 'uniform' && range.distribution !== 'log-uniform') return;
      if (min > max) {
        ctx.addIssue({ code: 'custom', path: ['max'], message: `must be ≥ min (${min}), got ${max}` });
      } else if (range.distribution === 'log-uniform' && min === 0 && max > 0) {
        ctx.addIssue({ code: 'custom', path: ['min'], message: 'must be > 0 for a log-uniform range' });
      }
    }, ALWAYS_FOR_OBJECTS)
    .transform((range): RangeSpec => range);
}

const integerRange = rangeSchema(true);

/**
 * An untrusted workflow description. Required: id, numTurns, outputTokensPerTurn, maxContextTokens; the
 * other ranges default to 0, systemPromptTokens and tokensPerScreenshot to 0.
 */
export const workflowSpecSchema = strictFields({
  id: textField(),
  displayName: textField().optional(),
  source: textField().default('user JSON'),
  numTurns: integerRange,
  systemPromptTokens: numberField(naturalNumber).default(0),
  userTokensPerTurn: integerRange.default(ZERO),
  toolOutputTokensPerTurn: integerRange.default(ZERO),
  numScreenshotsPerTurn: integerRange.default(ZERO),
  tokensPerScreenshot: numberField(naturalNumber).default(0),
  outputTokensPerTurn: integerRange,
  gapSeconds: rangeSchema(false).default(ZERO),
  maxContextTokens: numberField(positiveInteger),
}).transform(
  ({ displayName, ...workflow }): WorkflowSpec => ({ ...workflow, displayName: displayName ?? workflow.id }),
);

/** Validates an untrusted workflow description; every problem is reported at once with its path. */
export function parseWorkflowSpec(json: unknown): Result<WorkflowSpec> {
  return parseWith(workflowSpecSchema, json, 'workflow');
}
