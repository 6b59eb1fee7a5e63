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

/** Admits every choice; synchronous (no promise) when no admission had to ask the pool. */
export function admitChoices(
  core: RouterCore,
  inputs: readonly GenerateInput[],
  arrivalSeconds: number,
  /** The API's name for a pipeline field (chat: messages, max_completion_tokens). */
  fieldName: (field: string) => string,
): AdmittedChoices | Promise<AdmittedChoices> {
  const choices: Accepted[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const admission = core.admit(inputs[i] as GenerateInput, arrivalSeconds);
    if (admission instanceof Promise) return admitRest(admission, core, inputs, i, arrivalSeconds, fieldName, choices);
    const refused = refusal(admission, fieldName);
    if (refused !== undefined) return refused;
    choices.push(admission as Accepted);
  }
  return { ok: true, choices };
}

/** admitChoices from choice `i` on, once an admission returned a promise (it asked the pool). */
async function admitRest(
  pending: Promise<AdmissionResult>,
  core: RouterCore,
  inputs: readonly GenerateInput[],
  i: number,
  arrivalSeconds: number,
  fieldName: (field: string) => string,
  choices: Accepted[],
): Promise<AdmittedChoices> {
  let admission = await pending;
  for (let k = i; ; ) {
    const refused = refusal(admission, fieldName);
    if (refused !== undefined) return refused;
    choices.push(admission as Accepted);
    k += 1;
    if (k >= inputs.length) return { ok: true, choices };
    admission = await core.admit(inputs[k] as GenerateInput, arrivalSeconds);
  }
}

/** The answer to the whole request when `admission` refused its choice; undefined when it was accepted. */
function refusal(
  admission: AdmissionResult,
  fieldName: (field: string) => string,
): Extract<AdmittedChoices, { ok: false }> | undefined {
  if (admission.kind === 'reject') {
    return {
      ok: false,
      issue: rejectIssue(admission.reason, admission.message),
      headers: { 'retry-after': String(admission.retryAfterSeconds) },
    };
  }
  if (admission.kind === 'unavailable') {
    const headers = { 'retry-after': String(admission.retryAfterSeconds ?? 1) };
    return { ok: false, issue: unavailableIssue(admission.message), headers };
  }
  if (admission.kind === 'invalid') {
    // Admission's only 'invalid' is the context limit: OpenAI's code for it, so clients (and replay) tell it apart.
    return issue400('context_length_exceeded', fieldName(admission.field), admission.message);
  }
  return undefined;
}
