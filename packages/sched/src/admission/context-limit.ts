// The sequence-length check at admission: a request whose prompt + max_tokens cannot fit the longest
// sequence any decode worker accepts can never run, so it is a 400 naming the field, decided before any
// prefill work (a worker would otherwise reject it only after the first token was computed).
import type { WorkerSpec } from '../state/worker-table.js';

export interface ContextLimitIssue {
  /** 'prompt' when the prompt alone leaves no room for one output token, else 'max_tokens'. */
  readonly field: 'prompt' | 'max_tokens';
  readonly message: string;
}

/**
 * Checks `numPromptTokens + maxTokens` against the largest `maxContextTokens` stated by a decode-capable
 * worker (role decode or both). Workers stating 0 (no limit known) are skipped; with none stated, any
 * length passes and the worker's own check applies.
 */
export function contextLimitIssue(
  workers: readonly WorkerSpec[],
  numPromptTokens: number,
  maxTokens: number,
): ContextLimitIssue | undefined {
  const limits = workers.filter((w) => w.role !== 'prefill' && w.maxContextTokens > 0).map((w) => w.maxContextTokens);
  if (limits.length === 0) return undefined;
  const longest = Math.max(...limits);
  const needed = numPromptTokens + maxTokens;
  if (needed <= longest) return undefined;
  if (numPromptTokens >= longest) {
    return {
      field: 'prompt',
      message: `prompt has ${numPromptTokens} tokens but the longest sequence a decode worker holds is ${longest} tokens (prompt + at least 1 output token): shorten the prompt`,
    };
  }
  return {
    field: 'max_tokens',
    message: `prompt (${numPromptTokens}) + max_tokens (${maxTokens}) = ${needed} tokens exceed the longest sequence a decode worker holds (${longest} tokens): set max_tokens ≤ ${longest - numPromptTokens}`,
  };
}
