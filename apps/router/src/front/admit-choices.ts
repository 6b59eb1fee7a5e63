// Admission of a request's choices (n ≥ 1), each a request of its own sharing the prompt. All are admitted
// before any runs, so a refusal of any choice (429 with Retry-After, 503, or a 400 from the context limit)
// answers the whole request and no work has started.

import type { GenerateInput } from '../core/generate-input.js';
import { type ApiIssue, issue400 } from '../core/generate-input.js';
import type { RouterCore } from '../pipeline/router-core.js';
import type { AdmissionResult } from '../pipeline/types.js';
import { rejectIssue, unavailableIssue } from './api-errors.js';

export type Accepted = Extract<AdmissionResult, { kind: 'accepted' }>;

export type AdmittedChoices =
  | { readonly ok: true; readonly choices: readonly Accepted[] }
  | { readonly ok: false; readonly issue: ApiIssue; readonly headers?: Record<string, string> };

export async function admitChoices(
  core: RouterCore,
  inputs: readonly GenerateInput[],
  arrivalSeconds: number,
  /** The API's name for a pipeline field (chat: messages, max_completion_tokens). */
  fieldName: (field: string) => string,
): Promise<AdmittedChoices> {
  const choices: Accepted[] = [];
  for (const input of inputs) {
    const admission = await core.admit(input, arrivalSeconds);
    if (admission.kind === 'reject') {
      return {
        ok: false,
        issue: rejectIssue(admission.reason, admission.message),
        headers: { 'retry-after': String(admission.retryAfterSeconds) },
      };
    }
    if (admission.kind === 'unavailable') return { ok: false, issue: unavailableIssue(admission.message) };
    if (admission.kind === 'invalid') {
      // Admission's only 'invalid' is the context limit: OpenAI's code for it, so clients (and replay) tell it apart.
      return issue400('context_length_exceeded', fieldName(admission.field), admission.message);
    }
    choices.push(admission);
  }
  return { ok: true, choices };
}
